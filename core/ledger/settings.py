"""Typed settings with defaults: campaign options (deadlines, layout, gathering) and ledger-wide ones, saved audited at once."""
from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, insert, select, update

from core.ledger import schema
from core.common.errors import UserError
from core.ledger.changes import Area, Changed, LedgerChange
from core.ledger.store import Ledger, new_batch, record_audit
from core.ledger.queries import campaign_id

# Ledger-wide settings (meta "setting:<key>", JSON) and their defaults.
DEFAULT_RETENTION = {"keep_last": 3, "keep_daily_days": 7}   # plus weekly copies (core.ledger.backup)
DEFAULT_FONT = {"family": "宋体", "size": 11, "title_family": "方正小标宋简体", "title_size": 16}
# 考评 rules: a score starts at `base`; each form 迟报 costs `late`, each 未报 `missing`, each file 退回 `returned`,
# each month a task the unit leads is behind (否 or red) `behind`, each row copied from last month `copied`, each 是
# its own text contradicts `contradicted`; each task it leads 办结 ahead of plan earns `closed_early`
DEFAULT_KAOPING = {"base": 100.0, "late": 1.0, "missing": 2.0, "returned": 0.5, "behind": 1.0, "copied": 1.0,
                   "contradicted": 2.0, "closed_early": 1.0}
KAOPING_NAMES = {"base": "基础分", "late": "迟报每表扣", "missing": "未报每表扣", "returned": "退回每份扣",
                 "behind": "牵头任务每月滞后扣", "copied": "照抄上月每行扣", "contradicted": "填“是”但文字滞后每行扣",
                 "closed_early": "牵头任务提前办结每项加"}
DEFAULTS: dict[str, Any] = {
    "output_dir": "",              # the ledger's one visible output folder; "" = 文档/督查台账/<台账名>
    "outbox_dir": "",              # where 下发 writes; "" = <output_dir>/下发 (set by hand or by the 下发 page)
    "backup_retention": DEFAULT_RETENTION,
    "no_ranking": False,           # True: bulletins avoid 排名 wording (list by 序号 only)
    "form_password": "",           # sheet-protection password for generated forms; "" = no protection
    "form_font": DEFAULT_FONT,
    "mail_from": "",               # the sender written into .eml drafts (下发, 催报, 退回); "" = left for the mail program
    "templates_dir": "",           # a folder of the office's own form templates; "" = the templates shipped with the app
    "kaoping_rules": DEFAULT_KAOPING,   # 考评: base score and points per 迟报, 未报, 退回, task-month behind, 办结 ahead
    "office_name": "区政府督查室",      # 制表单位 printed on the 统计表 and 考评表
    "bulletin_cc": "",             # 通报 版记 抄送 line (e.g. “区委办公室，区人大常委会办公室”); "" = no 抄送
    "issuing_office": "区政府办公室",  # 通报 版记 印发机关
    "livelihood_cadence": 1,       # 民生实事 通报 every N months: 1 一月一通报 (the 2023/2025 notices), 3 一季一通报
}
# Folders on one PC: on a shared (server) ledger each clerk keeps their own, beside their other per-user settings;
# a SQLite ledger lives on one PC, so they stay in it.
PER_PC = ("output_dir", "outbox_dir")
CAMPAIGN_FIELDS = ("plan_due", "report_workdays", "plan_layout", "lead_gathering")
PLAN_LAYOUTS = {"rows": "按行（每季度一行，2026年式）", "columns": "按列（一至四季度各一列）"}


# -- typed getters -------------------------------------------------------------------
def _stored(ledger: Ledger, key: str) -> Any:
    if key in PER_PC and ledger.is_server:
        from core.ledger import pc_settings
        return pc_settings.read(ledger.location, key)
    return ledger.get_setting(key, None)


def set_folder(ledger: Ledger, key: str, value: str) -> Changed[bool]:
    """Save one of the PER_PC folders (checked like 设置 does); True when it changed (a setting, nothing else)."""
    return Changed(save_settings(ledger, settings={key: value}).value > 0, change=LedgerChange.of(Area.SETTINGS))


def get(ledger: Ledger, key: str) -> Any:
    default = DEFAULTS[key]
    value = _stored(ledger, key)
    if value is None:
        return json.loads(json.dumps(default))  # a copy, never the shared default
    if isinstance(default, dict):
        merged = dict(default)
        if isinstance(value, dict):
            merged.update(value)
        return merged
    return value


# The output folder's subfolders: generated forms and their e-mail drafts, 通报打印's files, 催报单 and drafts.
OUTPUT_SUBFOLDERS = {"dispatch": "下发", "reports": "通报", "reminders": "催报"}
OUTPUT_ROOT_NAME = "督查台账"


def output_dir(ledger: Ledger) -> Path:
    """The ledger's visible output folder: the setting, else 文档/督查台账/<ledger file name> (one per ledger)."""
    chosen = get(ledger, "output_dir")
    if chosen:
        return Path(chosen)
    import platformdirs
    name = Path(str(getattr(ledger, "path", "") or "台账")).stem or "台账"
    return Path(platformdirs.user_documents_dir()) / OUTPUT_ROOT_NAME / name


def output_folder(ledger: Ledger, kind: str) -> Path:
    """下发 / 通报 / 催报 inside the output folder (下发 may have been moved on its own: outbox_dir)."""
    if kind == "dispatch" and get(ledger, "outbox_dir"):
        return Path(get(ledger, "outbox_dir"))
    return output_dir(ledger) / OUTPUT_SUBFOLDERS[kind]


def outbox_dir(ledger: Ledger) -> Path:
    return output_folder(ledger, "dispatch")


def backup_retention(ledger: Ledger) -> dict:
    return get(ledger, "backup_retention")


def no_ranking(ledger: Ledger) -> bool:
    return bool(get(ledger, "no_ranking"))


def colophon(ledger: Ledger) -> dict[str, str]:
    """{cc, issuer}: the 版记's 抄送 ("" = none) and 印发机关."""
    return {"cc": str(get(ledger, "bulletin_cc") or ""), "issuer": str(get(ledger, "issuing_office") or "区政府办公室")}


def livelihood_cadence(ledger: Ledger) -> int:
    """Months between 民生实事 通报: 1 (一月一通报, the default) or 3 (一季一通报)."""
    value = get(ledger, "livelihood_cadence")
    return value if value in (1, 3) else 1


def mail_from(ledger: Ledger) -> str:
    return str(get(ledger, "mail_from") or "")


def templates_dir(ledger: Ledger) -> Path | None:
    chosen = str(get(ledger, "templates_dir") or "")
    return Path(chosen) if chosen else None


def form_password(ledger: Ledger) -> str:
    return str(get(ledger, "form_password") or "")


def form_font(ledger: Ledger) -> dict:
    return get(ledger, "form_font")


def kaoping_rules(ledger: Ledger) -> dict:
    return {k: float(v) for k, v in get(ledger, "kaoping_rules").items() if k in DEFAULT_KAOPING}


def office_name(ledger: Ledger) -> str:
    return str(get(ledger, "office_name") or DEFAULTS["office_name"])


def campaign_options(ledger: Ledger, year: int | None = None) -> dict | None:
    """The campaign's options {year, plan_due (date|None), report_workdays, plan_layout, lead_gathering}, or None."""
    with ledger.read() as conn:
        cid = campaign_id(conn, year)
        if cid is None:
            return None
        row = conn.execute(select(schema.campaign).where(schema.campaign.c.id == cid)).mappings().one()
    return {"year": row["year"], "plan_due": row["plan_due"], "report_workdays": int(row["report_workdays"]),
            "plan_layout": row["plan_layout"], "lead_gathering": bool(row["lead_gathering"])}


# -- validation ------------------------------------------------------------------------
def _check_campaign(values: dict) -> dict:
    out: dict[str, Any] = {}
    for key, value in values.items():
        if key not in CAMPAIGN_FIELDS:
            raise UserError(f"未知的立项批次选项“{key}”。")
        if key == "plan_due":
            if isinstance(value, str) and value:
                try:
                    value = date.fromisoformat(value)
                except ValueError:
                    raise UserError(f"计划表报送截止日期“{value}”格式不对，请写成 2026-03-06。") from None
            if value is not None and not isinstance(value, date):
                raise UserError("计划表报送截止日期应为日期。")
            out[key] = value or None
        elif key == "report_workdays":
            try:
                value = int(value)
            except (TypeError, ValueError):
                raise UserError(f"月报报送期限“{value}”应为整数（月末后第几个工作日）。") from None
            if not 1 <= value <= 30:
                raise UserError("月报报送期限应在月末后 1 到 30 个工作日之间。")
            out[key] = value
        elif key == "plan_layout":
            if value not in PLAN_LAYOUTS:
                raise UserError("计划表样式只能是“按行”或“按列”。")
            out[key] = value
        else:
            out[key] = bool(value)
    return out


def _check_ledger(values: dict) -> dict:
    out = {}
    for key, value in values.items():
        if key not in DEFAULTS:
            raise UserError(f"未知的设置项“{key}”。")
        if key in ("outbox_dir", "output_dir"):
            value = str(value or "").strip()
            what = "发件箱" if key == "outbox_dir" else "输出文件夹"
            if value and Path(value).exists() and not Path(value).is_dir():
                raise UserError(f"{what}“{value}”是一个文件，不是文件夹。请另选一个文件夹。")
        elif key == "backup_retention":
            try:
                value = {"keep_last": int(value["keep_last"]), "keep_daily_days": int(value["keep_daily_days"])}
            except (KeyError, TypeError, ValueError):
                raise UserError("备份保留设置应包含“保留最近几份”和“按日保留天数”两个整数。") from None
            if value["keep_last"] < 1 or value["keep_daily_days"] < 0:
                raise UserError("备份至少保留最近 1 份；按日保留天数不能为负数。")
        elif key == "no_ranking":
            value = bool(value)
        elif key == "livelihood_cadence":
            value = {"1": 1, "3": 3, "monthly": 1, "quarterly": 3, "每月": 1, "每季度": 3}.get(str(value).strip())
            if value is None:
                raise UserError("民生实事通报频次应为每月（1，一月一通报）或每季度（3，一季一通报）。")
        elif key in ("bulletin_cc", "issuing_office"):
            value = " ".join(str(value or "").split()).rstrip("。")
            if len(value) > 200:
                raise UserError("抄送或印发机关过长（最多 200 个字）。")
            if key == "issuing_office" and not value:
                raise UserError("请填写印发机关（如“区政府办公室”）。")
        elif key == "form_password":
            value = str(value or "")
            if len(value) > 255:
                raise UserError("表格保护密码过长（最多 255 个字符）。")
        elif key == "form_font":
            merged: dict[str, Any] = dict(DEFAULT_FONT)
            merged.update(value or {})
            try:
                merged["size"], merged["title_size"] = int(merged["size"]), int(merged["title_size"])
            except (TypeError, ValueError):
                raise UserError("字号应为整数。") from None
            if not (6 <= merged["size"] <= 36 and 6 <= merged["title_size"] <= 72):
                raise UserError("字号超出范围（正文 6–36，标题 6–72）。")
            if not str(merged["family"]).strip() or not str(merged["title_family"]).strip():
                raise UserError("请填写字体名称。")
            value = merged
        elif key == "kaoping_rules":
            value = _check_kaoping(value)
        elif key == "office_name":
            value = " ".join(str(value or "").split())
            if not value or len(value) > 60:
                raise UserError("制表单位应填写（最多 60 个字），如“区政府督查室”。")
        out[key] = value
    return out


def _check_kaoping(value: Any) -> dict:
    merged = dict(DEFAULT_KAOPING)
    merged.update(value if isinstance(value, dict) else {})
    out = {}
    for key in DEFAULT_KAOPING:
        try:
            number = round(float(merged[key]), 2)
        except (TypeError, ValueError):
            raise UserError(f"考评规则“{KAOPING_NAMES[key]}”应为数字，如 1 或 0.5。") from None
        top = 1000 if key == "base" else 100
        if not 0 <= number <= top:
            raise UserError(f"考评规则“{KAOPING_NAMES[key]}”应在 0 到 {top} 分之间（扣分写正数）。")
        out[key] = number
    if out["base"] <= 0:
        raise UserError("考评基础分应大于 0，如 100。")
    return out


# -- writing ---------------------------------------------------------------------------
def _write_setting(conn: Connection, batch: str, key: str, value: Any) -> bool:
    new = json.dumps(value, ensure_ascii=False, sort_keys=True)
    mkey = f"setting:{key}"
    old = conn.execute(select(schema.meta.c.value).where(schema.meta.c.key == mkey)).scalar()
    if old is not None and json.loads(old) == value:
        return False
    conn.execute(schema.meta.delete().where(schema.meta.c.key == mkey))
    conn.execute(insert(schema.meta).values(key=mkey, value=new))
    record_audit(conn, batch, "meta", key, "value", old, new, "hand", "设置")
    return True


def save_settings(ledger: Ledger, campaign: dict | None = None, settings: dict | None = None,
                  year: int | None = None) -> Changed[int]:
    """Validate everything first, then write all changed values in one transaction; returns how many changed.
    The change is everything: deadlines, names, folders and rules reach every page."""
    campaign = _check_campaign(campaign or {})
    settings = _check_ledger(settings or {})
    batch, changed = new_batch(), 0
    with ledger.begin() as conn:
        if campaign:
            cid = campaign_id(conn, year)
            if cid is None:
                raise UserError("台账中还没有立项批次，无法保存批次选项。请先导入立项表。")
            row = conn.execute(select(schema.campaign).where(schema.campaign.c.id == cid)).mappings().one()
            diff = {k: v for k, v in campaign.items() if row[k] != v}
            if diff:
                conn.execute(update(schema.campaign).where(schema.campaign.c.id == cid).values(**diff))
                for k, v in diff.items():
                    record_audit(conn, batch, "campaign", row["year"], k, row[k], v, "hand", "设置")
                changed += len(diff)
        for key, value in settings.items():
            if key in PER_PC and ledger.is_server:
                continue
            changed += _write_setting(conn, batch, key, value)
    if ledger.is_server:
        from core.ledger import pc_settings
        changed += sum(pc_settings.write(ledger.location, k, v) for k, v in settings.items() if k in PER_PC)
    return Changed(changed, change=LedgerChange.everything())
