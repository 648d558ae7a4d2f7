"""The demo's entries in units' own style: plan targets and monthly 一是/二是/三是 progress grown from each task's text."""
from __future__ import annotations

import random
import re
from dataclasses import dataclass, field

# the task's own numeric target: "新建共建花园5处" → (5, "处")
_TARGET = re.compile(r"([\u4e00-\u9fa5“”]{2,12}?)(\d+(?:\.\d+)?)(万|余)?"
                     r"(亿元|万元|万平方米|平方米|人次|公里|个|处|场|所|家|名|户|套|项|亩|辆|座|条|间|台|栋|批|人)")
_CLAUSE = re.compile(r"[，。；：、（）()]")
QUARTERS = ("一季度", "二季度", "三季度", "四季度")

DOMAINS = {  # keywords in the task's text → the kind of work its units report
    "build": ("建设", "工程", "改造", "新建", "续建", "项目", "道路", "设施", "管网", "片区", "更新"),
    "industry": ("产业", "企业", "招引", "培育", "投资", "经济", "园区", "市场主体", "规模"),
    "service": ("活动", "培训", "服务", "检查", "宣传", "救助", "帮扶", "健康", "文化", "就业"),
    "reform": ("改革", "机制", "体系", "制度", "治理", "监管", "营商", "审批", "平台"),
}

STEPS = {  # per domain, per phase (early / middle / late): what a unit reports having done this month
    "build": (
        ["完成项目前期手续梳理，形成问题清单{n}项并逐项明确责任科室和完成时限",
         "组织设计单位完成初步设计方案编制，召开专家论证会{k}次，吸收修改意见{n}条",
         "完成立项、规划选址、用地预审等前期手续办理，施工图设计同步推进",
         "开展现场踏勘和沿线居民意见征集，收集意见建议{n}条，逐条研究吸纳",
         "完成施工、监理招标工作，施工单位签订安全生产和文明施工责任书",
         "会同区财政局完成项目资金预算评审，首批资金已拨付到位",
         "建立“一项目一专班”推进机制，每周调度一次，协调解决问题{k}个"],
        ["施工单位全面进场作业，完成基础工程施工，日均投入作业人员{n}人",
         "主体工程加快推进，完成工程量约{p}%，关键节点按计划实现",
         "组织开展安全生产和工程质量专项检查{k}次，督促整改问题{n}处",
         "协调解决管线迁改、交通导改等问题{k}个，保障施工连续推进",
         "推行“周调度、月通报”机制，对照节点倒排工期、挂图作战",
         "同步推进配套设施设计和设备采购，完成招标文件编制",
         "利用有利施工季节加大投入，实行两班倒作业，抢抓工程进度"],
        ["主体工程基本完工，转入附属设施和室外配套施工阶段",
         "组织开展竣工验收前期准备，完成分部分项工程验收{k}项",
         "完成项目资料整理归档，审计送审材料已报区审计局",
         "组织第三方开展使用效果评估，收集群众满意度问卷{n}份",
         "对照年度目标逐项核对完成情况，形成工作总结和长效管护方案",
         "移交管护单位并建立日常巡查制度，确保建成即用、用即见效"]),
    "industry": (
        ["制定年度工作方案，分解任务{k}项，明确责任科室和完成时限",
         "走访重点企业{n}家，收集企业诉求{k}条并建立问题台账",
         "梳理在谈项目{k}个，建立招商项目库并实行动态管理",
         "召开产业发展专题会议{k}次，研究部署重点工作",
         "兑现各类惠企政策资金，惠及企业{n}家"],
        ["新签约项目{k}个，其中亿元以上项目{m}个",
         "组织企业参加各类对接活动{k}场，促成合作意向{n}项",
         "推动{k}个重点项目开工建设，在建项目进展顺利",
         "开展“企业服务日”活动，协调解决用工、用地、融资等问题{n}个",
         "组织申报省市各类扶持资金，{k}家企业获批支持",
         "对规上企业开展运行监测，每月分析研判产值和营收变化"],
        ["对签约项目开展“回头看”，推动{k}个项目实现投产达效",
         "梳理全年目标完成情况，形成产业发展评估报告",
         "谋划储备下一年度重点项目{n}个，做好项目接续",
         "总结典型经验做法{k}条，在全区推广"]),
    "service": (
        ["制定年度实施方案，明确活动安排和责任分工",
         "组织业务骨干培训{k}次，培训工作人员{n}人次",
         "通过微信公众号、社区公告栏等渠道开展宣传，发布信息{n}条",
         "摸排服务对象底数，建立工作台账{n}份"],
        ["组织开展各类活动{k}场，参与群众{n}人次",
         "深入街道社区开展上门服务，累计服务群众{n}人次",
         "开展“进社区、进学校、进企业”活动{k}场，群众反响良好",
         "委托第三方开展服务质量抽查，督促整改问题{k}个",
         "联合相关部门开展专项行动{k}次，发现并解决问题{n}个",
         "优化服务流程，群众办事平均用时缩短{m}天"],
        ["对全年活动开展情况进行梳理，形成工作总结",
         "开展群众满意度调查，回收问卷{n}份，满意率{p}%",
         "总结提炼特色做法{k}项，建立常态化工作机制",
         "对照目标查漏补缺，确保全年任务全面完成"]),
    "reform": (
        ["研究制定工作方案，明确改革任务{k}项及责任分工",
         "赴先进地区学习考察，形成调研报告{k}篇",
         "召开专题协调会{k}次，推动部门间数据共享和流程再造",
         "梳理现行制度文件{n}件，提出修订意见{k}条"],
        ["出台配套制度文件{k}件，相关机制已投入运行",
         "推动{n}个事项实现“一网通办”，办理时限压缩{p}%",
         "开展改革任务中期评估，对{k}项重点任务逐项对账",
         "组织业务培训{k}期，参训人员{n}人次",
         "在{k}个街道先行试点，试点工作有序推进",
         "建立月调度、季通报机制，压实各方责任"],
        ["对改革任务推进情况开展总结评估，形成评估报告",
         "将试点经验在全区推开，{k}个街道全面落实",
         "固化改革成果，修订完善制度{k}项",
         "梳理典型案例{k}个，报送上级部门推广"]),
    "general": (
        ["成立工作专班，制定实施方案，明确时间表和路线图",
         "召开专题推进会{k}次，研究解决重点问题",
         "对任务进行细化分解，形成任务清单{n}项"],
        ["按照序时进度扎实推进，建立周调度机制",
         "组织开展专项督导{k}次，督促整改问题{n}个",
         "加强与上级部门沟通对接，争取政策支持{k}项",
         "协调相关部门形成工作合力，解决问题{k}个"],
        ["梳理全年工作完成情况，形成总结报告",
         "对照年度目标逐项销号，确保任务按期完成",
         "总结经验做法，建立长效工作机制",
         "开展“回头看”，对前期发现的问题逐项复核整改情况",
         "谋划下一年度工作思路，提出重点任务建议{k}项"]),
}

CO_STEPS = ["配合牵头单位梳理工作任务，明确本单位承担事项{k}项",
            "按时报送相关数据和材料{k}份，参加专题会议{k}次",
            "安排专人对接，协助牵头单位解决本领域问题{k}个",
            "结合职能开展专项工作，完成配合事项{n}项",
            "参与联合督导检查{k}次，督促整改问题{n}处",
            "提供政策和业务支持，协助做好群众宣传解释工作"]

PROBLEMS_OK = ["项目推进涉及部门较多，部分协调事项需进一步压茬推进，要素保障压力依然较大。",
               "受季节性因素影响，部分户外作业时间受限，需统筹安排后续工作计划。",
               "企业融资需求较大，政策兑现周期偏长，对项目投资进度形成一定压力。",
               "基层工作人员力量相对薄弱，专业人才不足，业务能力有待进一步提升。",
               "群众参与的积极性不够均衡，宣传引导的覆盖面和精准度还需提高。",
               "数据统计口径与上级部门存在差异，需加强对接，确保数据准确一致。",
               "配套资金压力较大，需积极争取上级资金和政策支持。",
               "跨部门信息共享不够顺畅，部分事项需多次协调，工作效率有待提升。"]
PROBLEMS_BEHIND = ["受征收拆迁协调影响，部分工程施工进度滞后于计划约{k}周。",
                   "资金拨付进度偏慢，部分工程款暂未到位，影响施工组织和进度。",
                   "项目审批手续办理周期较长，开工时间较原计划推迟。",
                   "重点企业生产经营承压，相关指标未达到序时进度要求。",
                   "部分点位选址调整，前期工作推进缓慢，阶段目标未完成。"]
EFFECTS = ["有效保障了各项工作有序推进", "为下一阶段工作打下了坚实基础", "群众反映良好", "相关做法得到市级主管部门肯定",
           "工作质效进一步提升", "形成了上下联动、齐抓共管的工作格局", "各项指标运行平稳", "推动任务落地见效"]
NEXT_STEPS = ["下一步，将加强统筹调度，倒排工期、挂图作战，确保{q}目标按期完成。",
              "下一步，将继续压实责任，强化跟踪问效，对照节点逐项推进，确保取得实效。",
              "下一步，将加强与相关部门的沟通对接，及时协调解决推进中遇到的困难和问题。",
              "下一步，将积极争取上级资金和政策支持，加大要素保障力度，推动任务提速增效。",
              "下一步，将加强宣传引导，总结推广好的经验做法，营造良好工作氛围。",
              "下一步，将强化督导检查，建立问题清单和整改台账，确保问题按期清零。"]
NEXT_BEHIND = ["下一步，将成立专班集中攻坚，加大人员和机械投入，力争{q}末追回滞后进度。",
               "下一步，将主动对接区财政局等部门，加快资金拨付，确保工程不停工、不断档。",
               "下一步，将提请区政府专题调度，协调解决制约因素，尽快扭转被动局面。"]


@dataclass
class Target:
    amount: float
    unit_word: str

    def total(self) -> str:
        return str(int(self.amount)) if float(self.amount).is_integer() else f"{self.amount:g}"

    def at(self, share: float) -> str:
        value = self.amount * share
        if self.unit_word in ("亿元", "万元", "公里", "万平方米") or not float(self.amount).is_integer():
            return f"{value:.1f}"
        if self.amount >= 1000:   # counted in hundreds, as units report big numbers
            return str(max(100, int(value // 100 * 100)))
        return str(max(1, int(value + 1e-9)))   # whole ones finished: 4处 × 91% → 3处


@dataclass
class RowStory:
    """One task × unit through the year: its domain, target, progress curve and the steps already reported."""
    text: str
    lead: bool
    rng: random.Random
    domain: str = "general"
    core: str = ""
    target: Target | None = None
    pace: float = 0.0
    last_share: float = 0.0      # what the unit reported last month: figures never go back
    used: set = field(default_factory=set)
    this_month: set = field(default_factory=set)
    done: str = ""
    problems: str = ""
    next_steps: str = ""


def task_core(text: str) -> str:
    """The task's first real clause, short enough to quote: "持续推进绿化提升和生态修复"."""
    for clause in _CLAUSE.split(text):
        clause = clause.strip("“”‘’ ")
        if len(clause) >= 6 and not clause.endswith("领域"):
            return clause[:24]
    return text[:20]


def task_target(text: str) -> Target | None:
    """The first countable target in the task's text (not people, not 百分点): 5处, 1350个, 3万人次, 160亿元."""
    for m in _TARGET.finditer(text):
        amount, wan, word = float(m.group(2)), m.group(3), m.group(4)
        if text[m.end():m.end() + 3] == "百分点" or word == "人" or amount < 1:
            continue
        if wan == "万" and word not in ("亿元", "万元", "万平方米"):
            amount *= 10000
        return Target(amount, word)
    return None


def domain_of(text: str) -> str:
    scores = {d: sum(text.count(k) for k in keys) for d, keys in DOMAINS.items()}
    best = max(scores, key=lambda d: scores[d])
    return best if scores[best] else "general"


def new_story(text: str, lead: bool, seed: int) -> RowStory:
    rng = random.Random(seed)
    story = RowStory(text=text, lead=lead, rng=rng, domain=domain_of(text), core=task_core(text),
                     target=task_target(text), pace=rng.uniform(-0.06, 0.08))
    return story


def share_at(story: RowStory, month: int, behind: bool = False) -> float:
    """The share of the year's target done by the end of `month` (April ≈ 0.3, December = 1)."""
    share = 0.08 + (month - 1) * 0.083 + story.pace
    if behind:
        share -= 0.12
    return max(0.05, min(1.0, share))


def _fill(template: str, rng: random.Random, share: float) -> str:
    return template.format(n=rng.randint(6, 48), k=rng.randint(2, 6), m=rng.randint(1, 3),
                           p=min(98, int(share * 100) + rng.randint(-3, 3)), q="")


def _pick(story: RowStory, pool: list[str]) -> str:
    """A step not reported before by this row; once all were, any step not already in this month's entry."""
    fresh = [s for s in pool if s not in story.used] or [s for s in pool if s not in story.this_month] or pool
    choice = story.rng.choice(fresh)
    story.used.add(choice)
    story.this_month.add(choice)
    return choice


def _phase(share: float) -> int:
    return 0 if share < 0.35 else 1 if share < 0.75 else 2


def _figure(story: RowStory, share: float) -> str:
    pct = int(round(share * 100))
    if story.target is not None and story.lead:
        t = story.target
        return f"年度目标{t.total()}{t.unit_word}，累计完成{t.at(share)}{t.unit_word}，完成年度目标的{pct}%"
    return f"年度任务序时完成约{pct}%"


def monthly_entry(story: RowStory, month: int, on_track: bool = True, final: bool = False) -> tuple[str, str, str]:
    """(完成情况 120–400 chars, 存在问题 40–120, 下一步计划 40–120) for `month`, developing from last month's.

    `final`: the month the task is finished (办结): the whole target is reached."""
    rng = story.rng
    story.this_month = set()
    share = 1.0 if final else min(0.99, max(share_at(story, month, behind=not on_track), story.last_share + 0.02))
    story.last_share = share
    if final:
        on_track = True
    quarter = QUARTERS[(month - 1) // 3]
    if story.lead:
        phase = _phase(share)
        pool = list(dict.fromkeys(STEPS.get(story.domain, STEPS["general"])[phase] + STEPS["general"][phase]))
        opening = rng.choice([f"围绕“{story.core}”目标任务，", f"对照年度目标和{quarter}计划，", "本月，",
                              f"聚焦“{story.core}”，"])
        count = min(4 if rng.random() < 0.45 else 3, len(pool))
        items = [_fill(_pick(story, pool), rng, share) for _ in range(count)]
        for i, effect in enumerate(rng.sample(EFFECTS, count)):
            if rng.random() < 0.7:
                items[i] += "，" + effect
        numbered = "；".join(f"{'一二三四'[i]}是{item}" for i, item in enumerate(items))
        figure = _figure(story, share)
        if final:
            status = "年度目标任务已全面完成"
        elif on_track:
            status = rng.choice(["总体进度符合序时要求", "各项工作按计划有序推进", "进度与季度计划基本同步"])
        else:
            status = "进度滞后于序时要求"
        done = f"{opening}{numbered}。截至{month}月底，{figure}，{status}。"
    else:
        items = [_fill(_pick(story, CO_STEPS), rng, share) for _ in range(2)]
        done = (f"本单位作为配合单位，围绕“{story.core}”，一是{items[0]}；二是{items[1]}，"
                f"本单位承担事项序时完成约{int(round(share * 100))}%。")
        if len(done) < 120:
            done = done[:-1] + f"；三是{_fill(_pick(story, CO_STEPS), rng, share)}。"
    while len(done) < 120:
        done = done[:-1] + "，" + _fill(rng.choice(STEPS["general"][1]), rng, share) + "。"
    if len(done) > 400:
        done = done[:399].rsplit("；", 1)[0] + "。"
    if final:
        problems = "无。任务已全面完成，相关资料已整理归档，后续将做好长效管护和跟踪问效工作。"
        next_steps = "下一步，将申请办结销号，同时建立长效工作机制，巩固提升任务成效，确保群众持续受益。"
    elif on_track:
        problems = "".join(rng.sample(PROBLEMS_OK, 2)) if rng.random() < 0.5 else rng.choice(PROBLEMS_OK)
        next_steps = rng.choice(NEXT_STEPS).format(q=quarter)
    else:
        problems = rng.choice(PROBLEMS_BEHIND).format(k=rng.randint(2, 5))
        next_steps = rng.choice(NEXT_BEHIND).format(q=quarter)
    if len(problems) < 40:
        problems += rng.choice([p for p in PROBLEMS_OK if p not in problems])
    if len(next_steps) < 40:
        next_steps += rng.choice(["同时做好统计监测和信息报送，确保数据真实准确。",
                                  "同时加强督促检查，确保各项工作落地见效。"])
    story.done, story.problems, story.next_steps = done, problems[:120], next_steps[:120]
    return story.done, story.problems, story.next_steps


def behind_note(story: RowStory) -> str:
    """A sentence a unit adds that admits delay (used for the demo's contradicted "是")."""
    return "受施工许可办理周期影响，主体工程进度较计划滞后约2周，部分节点目标未完成。"


def plan_target(story: RowStory, quarter: int) -> str:
    """季度目标及推进计划 for quarter 1..4, 40–100 characters."""
    share = (0.2, 0.5, 0.75, 1.0)[quarter - 1]
    phase_words = ["制定实施方案，完成前期准备和任务分解", "全面启动实施，重点工作取得阶段性进展",
                   "加快推进，重点节点任务基本完成", "全面完成年度目标任务，开展总结评估"][quarter - 1]
    figure = ""
    if story.target is not None and story.lead:
        figure = f"，累计完成{story.target.at(share)}{story.target.unit_word}"
    text = f"{QUARTERS[quarter - 1]}：{phase_words}{figure}，完成年度目标的{int(share * 100)}%左右。"
    if len(text) < 40:
        text = text[:-1] + "，建立台账、定期调度，确保按计划推进。"
    return text[:100]


def officer_titles(unit_name: str) -> tuple[str, str]:
    """(主要负责人, 分管负责人) as titles only: the demo holds no real people's names."""
    for suffix, pair in (("局", ("局长", "副局长")), ("办公室", ("主任", "副主任")), ("中心", ("主任", "副主任")),
                         ("街道办事处", ("街道办事处主任", "街道办事处副主任")), ("公司", ("董事长", "副总经理")),
                         ("委员会", ("主任", "副主任")), ("会", ("会长", "副会长")), ("分局", ("局长", "副局长")),
                         ("办", ("主任", "副主任")), ("院", ("院长", "副院长"))):
        if unit_name.endswith(suffix):
            return pair
    return ("主要负责同志", "分管负责同志")
