"""A workbook whose cell formats are copies of formats an earlier workbook built is the same workbook, part for
part, as one whose formats were all built anew (fonts, borders, fills, locks, note colours, the 是/否 list)."""
from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
import xlsxwriter.workbook

from core.forms import xlsx_formats
from core.forms.plan import INPUT_FIELDS_ROWS, MERGED_FIELDS
from core.forms.report import INPUT_FIELDS, NO_PLAN_NOTE, TARGET_FIELD, YESNO_FIELDS
from core.forms.rows import FormRow
from core.forms.stamp import Stamp, fingerprint, row_key
from core.forms.template import load_template, template_path
from core.forms.writer import SheetSpec, write_form

TASK = ("持续优化营商环境，深化“一网通办”“一次办好”改革，推动政务服务事项全程网办率达到95％以上，"
        "完善企业全生命周期服务体系，健全常态化政企沟通机制，力争市场主体总量突破10万户。")
DONE = ("一是聚焦企业开办、项目审批等高频事项，梳理形成“一件事”集成服务清单32项，全程网办率达到96.2％；"
        "二是组织开展“局长走流程”活动4次，发现并整改堵点问题17个，平均办理时限压缩40％；"
        "三是召开政企恳谈会3场，收集企业诉求58条，已办结52条，其余6条正在协调市级部门推进。")
PROBLEMS = "一是部分跨部门事项数据共享不畅，仍需企业重复提交材料；二是基层窗口人员业务水平参差不齐。"
NEXT = "一是推动电子证照在更多场景互认共享；二是分批开展窗口人员轮训；三是建立诉求办理“回头看”机制。"


def _report_spec() -> SheetSpec:
    rows = []
    for i in range(6):
        values = {"序号": i + 1, "任务": TASK, "责任类型": "牵头" if i % 2 else "配合",
                  TARGET_FIELD: "" if i == 2 else "完成“一件事”集成服务清单梳理，全程网办率达到95％以上。",
                  "完成情况": DONE if i % 3 else "", "存在问题": PROBLEMS if i % 3 else "",
                  "下一步计划": NEXT if i % 3 else "", "是否完成阶段任务目标": "是" if i % 3 == 1 else ""}
        row = FormRow(row_key(f"T{i:010d}", 7), values, group=i, task_uid=f"T{i:010d}", unit_id=7)
        if i == 2:
            row.notes.add(TARGET_FIELD)
            row.unlocked.add(TARGET_FIELD)
        rows.append(row)
    return SheetSpec(rows=rows, context={"年度": "2026", "月份": "4", "填报单位": "区行政审批服务局"},
                     input_fields=INPUT_FIELDS, yesno_fields=YESNO_FIELDS, notes={TARGET_FIELD: NO_PLAN_NOTE},
                     password="dcta", doc_title="2026年年度工作任务落实情况表（4月）-区行政审批服务局")


def _plan_spec() -> SheetSpec:
    rows = []
    for t in range(3):
        for q, quarter in enumerate(["一季度", "二季度", "三季度", "四季度"], start=1):
            values = {"序号": t + 1, "任务": TASK, "责任类型": "牵头", "时间": quarter,
                      "季度目标": DONE if t == 1 else "", "主要负责人": "张明" if t == 1 else "",
                      "分管负责人": "", "备注": ""}
            rows.append(FormRow(row_key(f"P{t:010d}", 7, q), values, group=t, task_uid=f"P{t:010d}", unit_id=7,
                                quarter=q))
    return SheetSpec(rows=rows, context={"年度": "2026", "月份": "", "填报单位": "区行政审批服务局"},
                     input_fields=INPUT_FIELDS_ROWS, merge_fields=MERGED_FIELDS,
                     doc_title="2026年年度工作任务落实计划表-区行政审批服务局")


def _parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        parts = {name: zf.read(name) for name in zf.namelist()}
    parts["docProps/core.xml"] = re.sub(rb"<dcterms:(created|modified)[^>]*>[^<]*<", rb"<dcterms:\1>-<",
                                        parts["docProps/core.xml"])
    return parts


@pytest.mark.parametrize("form, layout, make_spec", [("report", None, _report_spec), ("plan", "rows", _plan_spec)])
def test_copied_formats_write_the_same_workbook(tmp_path, monkeypatch, form, layout, make_spec):
    tmpl = load_template(template_path(form, layout))
    spec = make_spec()
    stamp = Stamp(year=2026, form=form, period="2026-04" if form == "report" else "2026", unit_id=7,
                  unit_name="区行政审批服务局", template_version=tmpl.version,
                  fingerprint=fingerprint([r.prefilled() for r in spec.rows]))
    built_by_add_format = []
    real_add_format = xlsxwriter.workbook.Workbook.add_format
    monkeypatch.setattr(xlsxwriter.workbook.Workbook, "add_format",
                        lambda wb, props=None: built_by_add_format.append(props) or real_add_format(wb, props))

    xlsx_formats.forget()
    with monkeypatch.context() as m:   # every format built anew
        m.setattr(xlsx_formats, "_remember", lambda *args: None)
        write_form(tmp_path / "built.xlsx", tmpl, spec, stamp)
        write_form(tmp_path / "built-again.xlsx", tmpl, spec, stamp)
    built = len(built_by_add_format)
    write_form(tmp_path / "first.xlsx", tmpl, spec, stamp)     # builds, and keeps the finished formats
    before_copy = len(built_by_add_format)
    write_form(tmp_path / "copied.xlsx", tmpl, spec, stamp)
    xlsx_formats.forget()

    assert built // 2 == before_copy - built > 10                     # one per distinct format, each time
    assert len(built_by_add_format) - before_copy == 2                # only XlsxWriter's own two defaults
    fresh, copied = _parts(tmp_path / "built.xlsx"), _parts(tmp_path / "copied.xlsx")
    assert list(fresh) == list(copied)
    for name in fresh:
        assert copied[name] == fresh[name], name
    assert b'<protection locked="0"' in fresh["xl/styles.xml"] and b"FF808080" in fresh["xl/styles.xml"]
