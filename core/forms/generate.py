"""下发: a pre-filled 附件3/附件4 workbook per unit in a new outbox folder, an .eml draft beside each, the dispatch record."""
from __future__ import annotations

import hashlib
import re
import shutil
from dataclasses import dataclass
from typing import NotRequired, TypedDict
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import insert

from core.ledger import schema
from core.office.eml_draft import draft_bytes
from core.common.errors import UserError
from core.common.vocabulary import FORM_NAMES
from core.common.work import Work, given
from core.forms.plan import MERGED_FIELDS, input_fields as plan_input_fields, plan_rows
from core.forms.report import INPUT_FIELDS, NO_PLAN_NOTE, TARGET_FIELD, YESNO_FIELDS, load_progress, report_rows
from core.forms.rows import CampaignData, FormRow, load
from core.forms.template import FormTemplate, load_template, template_path
from core.forms.writer import SheetSpec, write_form
from core.ledger.clerk import clerk_name
from core.ledger.changes import Area, ChangedRows, LedgerChange
from core.ledger.store import Ledger, new_batch, new_id, now, record_audit
from core.ledger.queries import campaign_row, require_campaign
from core.forms.stamp import Stamp, fingerprint
from core.common.partfiles import clean_stale_parts

_BAD_NAME = re.compile(r'[\\/:*?"<>|\r\n\t]+')


def check_period(form: str, period: str | None) -> str | None:
    """The period normalised ("YYYY" for plan, "YYYY-MM" for report), or a UserError saying what is expected."""
    if form not in FORM_NAMES:
        raise UserError(f"表格类型“{form}”无效：只能是 plan（落实计划表，附件3）或 report（落实情况表，附件4）。")
    if form == "plan":
        if period in (None, ""):
            return None
        m = re.fullmatch(r"(\d{4})(?:-\d{1,2})?", str(period).strip())
        if not m:
            raise UserError(f"期间“{period}”无效：落实计划表的期间是年度，如 2026。")
        return m.group(1)
    m = re.fullmatch(r"(\d{4})-?(\d{1,2})", str(period or "").strip())
    if not m or not 1 <= int(m.group(2)) <= 12:
        raise UserError(f"期间“{period or ''}”无效：落实情况表需要月份，格式如 2026-03。")
    return f"{m.group(1)}-{int(m.group(2)):02d}"


def safe_name(text: str) -> str:
    return _BAD_NAME.sub("_", text).strip(" .") or "单位"


def period_text(form: str, period: str) -> str:
    return f"{period}年" if form == "plan" else f"{period[:4]}年{int(period[5:7])}月"


def _pick_units(data: CampaignData, unit_names: list[str] | None, aliases: dict[str, int]) -> list[int]:
    with_tasks = sorted(data.by_unit)
    if not unit_names:
        return with_tasks
    by_name = {u["name"]: uid for uid, u in data.units.items()}
    by_name.update({u["short_name"]: uid for uid, u in data.units.items() if u.get("short_name")})
    by_name.update(aliases)
    picked, unknown = [], []
    for name in unit_names:
        uid = by_name.get(str(name).strip())
        if uid is None:
            unknown.append(str(name))
        elif uid not in picked:
            picked.append(uid)
    if unknown:
        raise UserError(f"单位“{'、'.join(unknown)}”不在单位名录中。请检查名称（可用 units 命令查看），或先在“单位”页添加。")
    order = {uid: i for i, uid in enumerate(with_tasks)}
    return sorted(picked, key=lambda uid: order.get(uid, 10**6 + uid))


def _mail(form: str, year: int, period: str, unit_name: str, camp, due: date | None = None) -> tuple[str, str]:
    """The e-mail draft: names the actual deadline date (`due`, from the working-day calendar) when known."""
    if form == "plan":
        title = f"{year}年年度工作任务落实计划表"
        due = due or camp["plan_due"]
        ask = "填写各季度目标及推进计划、主要负责人、分管负责人"
        fallback = "按通知要求"
    else:
        title = f"{year}年年度工作任务落实情况表（{int(period[5:7])}月）"
        ask = "填写完成情况、存在问题、下一步计划和是否完成阶段任务目标"
        fallback = f"于次月前{camp['report_workdays'] or 5}个工作日内"
    when = f"于{due.year}年{due.month}月{due.day}日前" if due else fallback
    subject = f"请报送《{title}》（{unit_name}）"
    body = (f"{unit_name}：\n\n附件是贵单位的《{title}》，已预填贵单位承担的任务。请{ask}，"
            f"{when}回复本邮件报送区政府办公室督查室。\n\n请直接在附件表格中填写；不要改动表格结构，"
            "不要改动文件名，也不要删改表格中隐藏的内容（程序靠它识别报回的表格）。\n\n"
            "区政府办公室督查室\n")
    return subject, body


@dataclass
class _Run:
    form: str
    period: str
    year: int
    cid: int
    camp: dict
    data: CampaignData
    tmpl: FormTemplate
    work: list            # [(unit_id, rows, ntasks)]
    number: dict          # unit_id → stable 序号 in file names
    spec_common: dict
    sender: str


def _prepare(ledger: Ledger, form: str, period: str | None, unit_names: list[str] | None,
             templates_dir: Path | None) -> _Run:
    """Everything read once per run: the campaign's tasks, plans, the template, each unit's rows."""
    period = check_period(form, period)
    year = int(period[:4]) if period else None
    with ledger.read() as conn:
        cid = require_campaign(conn, year)
        camp = dict(campaign_row(conn, cid))
        data = load(conn, cid)
        progress_rows = load_progress(conn, cid, period) if form == "report" and period is not None else {}
        aliases = {r.alias: r.unit_id for r in conn.execute(schema.unit_alias.select())}
    if period is None:
        period = str(data.year)
    from core.ledger import settings
    tmpl = load_template(template_path(form, data.layout, templates_dir or settings.templates_dir(ledger)))
    units = _pick_units(data, unit_names, aliases)
    number = {uid: i for i, uid in enumerate(sorted(data.by_unit), start=1)}
    work: list[tuple[int, list[FormRow], int]] = []
    for uid in units:
        if form == "plan":
            rows, ntasks = plan_rows(data, uid)
        else:
            rows, ntasks = report_rows(data, uid, period, progress_rows)
        if rows:
            work.append((uid, rows, ntasks))
    if not work:
        raise UserError("所选单位在该期间没有需要填报的任务（任务可能已办结，或由牵头单位汇总）。")
    spec_common = {
        "input_fields": plan_input_fields(data.layout) if form == "plan" else INPUT_FIELDS,
        "yesno_fields": set() if form == "plan" else YESNO_FIELDS,
        "merge_fields": MERGED_FIELDS if form == "plan" and data.layout == "rows" else set(),
        "notes": {} if form == "plan" else {TARGET_FIELD: NO_PLAN_NOTE},
        "password": settings.form_password(ledger) or None,
    }
    return _Run(form, period, data.year, cid, camp, data, tmpl, work, number, spec_common,
                settings.mail_from(ledger))


def _write_one(run: _Run, uid: int, rows: list[FormRow], folder: Path, index: int,
               folder_is_temporary: bool = False) -> tuple[Path, Stamp, bytes]:
    """One unit's workbook in `folder` (and its bytes), written to a temp name and renamed, unless the whole
    folder is still a temporary one (generate's: renamed into place once every file is in it)."""
    form, period, year = run.form, run.period, run.year
    unit = run.data.units[uid]
    form_name = FORM_NAMES[form]
    stem = (f"{run.number.get(uid, index):02d}-{safe_name(unit.get('short_name') or unit['name'])}"
            f"-{form_name}-{period_text(form, period)}")
    path = folder / f"{stem}.xlsx"
    part = folder / f".{stem}.xlsx.part"
    title = f"{year}年年度工作任务{form_name}" + (f"（{int(period[5:7])}月）" if form == "report" else "")
    spec = SheetSpec(rows=rows, context={"年度": str(year), "月份": str(int(period[5:7])) if form == "report" else "",
                                          "填报单位": unit["name"]},
                     doc_title=f"{title}-{unit['name']}", **run.spec_common)
    stamp = Stamp(year=year, form=form, period=period, unit_id=uid, unit_name=unit["name"],
                  template_version=run.tmpl.version, fingerprint=fingerprint([r.prefilled() for r in rows]))
    if folder_is_temporary:
        return path, stamp, write_form(path, run.tmpl, spec, stamp)
    try:
        data = write_form(part, run.tmpl, spec, stamp)
        part.replace(path)
    finally:
        part.unlink(missing_ok=True)
    return path, stamp, data


def preview(ledger: Ledger, form: str, period: str | None, unit_name: str, dest_dir: Path,
            templates_dir: Path | None = None) -> Path:
    """One unit's workbook written into dest_dir, nothing recorded (the 下发 page's 预览)."""
    run = _prepare(ledger, form, period, [unit_name], templates_dir)
    uid, rows, _ = run.work[0]
    Path(dest_dir).mkdir(parents=True, exist_ok=True)
    return _write_one(run, uid, rows, Path(dest_dir), 1)[0]


def read_sheet(path: Path) -> list[list[str]]:
    """The first sheet's cells as text (python-calamine), for showing a workbook as a table."""
    from python_calamine import CalamineWorkbook
    wb = CalamineWorkbook.from_path(str(path))
    rows = wb.get_sheet_by_index(0).to_python()
    out = []
    for row in rows:
        out.append(["" if v is None else (str(int(v)) if isinstance(v, float) and v.is_integer() else str(v))
                    for v in row])
    return out


class Dispatched(TypedDict):
    """One unit's workbook of a 下发 run: where it and its .eml draft are, and what the dispatch recorded."""
    unit: str
    form: str
    period: str
    path: str
    tasks: int
    eml: str | None
    email: str               # "" = the unit has no address; its draft has no recipient
    unit_id: int
    file_hash: str
    fingerprint: str
    rows: int
    dispatch_id: NotRequired[int]   # set once the run is recorded


def generate(ledger: Ledger, form: str, period: str | None, out_dir: Path, unit_names: list[str] | None = None,
             work: Work | None = None, with_eml: bool = True,
             templates_dir: Path | None = None, due: date | None = None) -> ChangedRows[Dispatched]:
    """Write each unit's workbook (and .eml draft) into a new dispatch folder under out_dir; record the dispatch.

    Returns a Dispatched row per workbook in file order, with the change (the dispatch).
    Raises Cancelled (nothing left on disk, nothing recorded) once work.cancel() was called.
    `due`: the form's deadline named in the e-mail (core.tracking.deadlines.form_due; the front ends pass it).
    """
    work = given(work)
    run = _prepare(ledger, form, period, unit_names, templates_dir)
    form, period = run.form, run.period
    form_name = FORM_NAMES[form]
    out_dir = Path(out_dir).expanduser()
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UserError(f"无法创建发件箱文件夹“{out_dir}”：{exc.strerror or exc}。请换一个可写的文件夹。") from exc
    base = f"{period}-{form_name}-{datetime.now().strftime('%Y%m%d-%H%M%S')}"
    final = out_dir / base
    n = 2
    while final.exists():
        final = out_dir / f"{base}-{n}"
        n += 1
    tmp_dir = out_dir / f".{final.name}.part"
    clean_stale_parts(out_dir)  # folders left by a run that was killed or lost power
    shutil.rmtree(tmp_dir, ignore_errors=True)
    tmp_dir.mkdir()

    results: list[Dispatched] = []
    total = len(run.work)
    try:
        for i, (uid, rows, ntasks) in enumerate(run.work, start=1):
            work.check()
            unit = run.data.units[uid]
            path, stamp, data = _write_one(run, uid, rows, tmp_dir, i, folder_is_temporary=True)
            digest = hashlib.sha256(data).hexdigest()
            eml = None
            if with_eml:
                subject, body = _mail(form, run.year, period, unit["name"], run.camp, due)
                eml = tmp_dir / f"{path.stem}.eml"
                eml.write_bytes(draft_bytes(unit.get("email") or "", subject, body, [(path.name, data)],
                                            sender=run.sender))
            results.append(Dispatched(unit=unit["name"], form=form, period=period, path=path.name, tasks=ntasks,
                                      eml=eml.name if eml else None, email=unit.get("email") or "", unit_id=uid,
                                      file_hash=digest, fingerprint=stamp.fingerprint, rows=len(rows)))
            work.report(i, total, unit["name"])
        work.check()
        tmp_dir.replace(final)
    except BaseException:
        shutil.rmtree(tmp_dir, ignore_errors=True)
        raise
    for r in results:
        r["path"] = str(final / r["path"])
        if r["eml"]:
            r["eml"] = str(final / r["eml"])
    _record(ledger, run.cid, form, period, final, results, run.tmpl.version)
    return ChangedRows(tuple(results), change=LedgerChange.of(Area.DISPATCH, periods=[period] if period else []))


def _record(ledger: Ledger, cid: int, form: str, period: str, folder: Path, results: list[Dispatched],
            version: str) -> int:
    """One transaction: the dispatch, one item per workbook, audit rows."""
    batch = new_batch()
    with ledger.begin() as conn:
        did = new_id(conn, insert(schema.dispatch).values(
            campaign_id=cid, form=form, period=period, out_dir=str(folder), created_at=now()))
        record_audit(conn, batch, "dispatch", str(did), "generate", None,
                     f"{FORM_NAMES[form]} {period}：{len(results)} 份（模板 {version}）", "system", str(folder))
        # one executemany per table (same rows record_audit would write, without 2×N statement builds)
        conn.execute(insert(schema.dispatch_item), [
            {"dispatch_id": did, "unit_id": r["unit_id"], "path": r["path"], "file_hash": r["file_hash"],
             "fingerprint": r["fingerprint"], "tasks": r["tasks"], "email": r["email"]} for r in results])
        at, clerk = now(), clerk_name()
        conn.execute(insert(schema.audit), [
            {"at": at, "batch": batch, "table_name": "dispatch_item", "row_key": f"{did}/{r['unit']}",
             "field": "file_hash", "old": None, "new": r["file_hash"], "source_kind": "system", "source_ref": r["path"],
             "clerk": clerk}
            for r in results])
    for r in results:
        r["dispatch_id"] = did
    return did
