"""收文: read returned files, identify them, diff them against the ledger and stage the changes for review."""
from __future__ import annotations

from datetime import date

import logging
import re
import tempfile
from dataclasses import dataclass, field
from typing import TypedDict
from pathlib import Path

from sqlalchemy import Connection, insert, select, update

from core.ledger import file_store
from core.ledger import schema
from core.returns.answers import contradicts_yes, interpreted, normalise
from core.common.errors import UserError
from core.common.work import Work, given
from core.ledger.changes import Area, Changed, ChangedRows, LedgerChange
from core.ledger.store import Ledger, now
from core.returns.identify import CARRIER_NAMES, Identity, identify, identify_sheets
from core.returns.read import TYPED_FIELDS, ParsedForm, parse_form, parse_forms, pick_form, pick_sheet, read_returned
from core.returns.mark_notes import Placed, place as place_marks
from core.returns.sources import Source, expand
from core.returns.unit_conflicts import mark as mark_unit_conflicts, write_messages as write_conflict_messages
from core.returns.versions import Version, choose, settle_all
from core.returns.row_match import Expected, MatchResult, match_rows

ROLE_WORDS = {"牵头": "lead", "牵头单位": "lead", "配合": "co", "配合单位": "co", "协办": "co", "主办": "lead"}
ROLE_NAMES = {"lead": "牵头", "co": "配合"}
PLACEHOLDERS = {"（计划表尚未报送）"}   # grey notes the generator writes in place of an empty value
REPORT_FIELDS = ("quarter_target", "done", "problems", "next_steps", "on_track")
PLAN_FIELDS = ("target", "owner", "supervisor", "remark")
FIELD_NAMES = {"quarter_target": "季度计划完成目标", "done": "完成情况", "problems": "存在问题", "next_steps": "下一步计划",
               "on_track": "是否完成阶段任务目标", "note": "备注（单位插入的行、新增的列）", "target": "季度目标及推进计划",
               "owner": "主要负责人", "supervisor": "分管负责人", "remark": "备注", "_task_text": "任务内容（单位改动）",
               "_missing": "缺少的行", "_role": "责任类型（单位改动）"}
FLAG_NAMES = {"copied-from-last-month": "与上月完成情况相同", "yes-but-text-says-otherwise": "填“是”但文字显示未完成",
              "empty-required": "必填项为空", "plan-target-changed-after-accepted": "已确认的计划目标被改动",
              "task-text-changed": "任务内容被改动（不会合入）", "missing-row": "单位删去了此行",
              "answer-interpreted": "是否完成按文字理解为“是/否”，请核对", "extra-column": "新增列的内容作为备注保存",
              "inserted-row": "单位插入行的内容作为备注保存",
              "row-moved-by-text": "隐藏序号与任务内容不符（行被排序或错位），已按任务内容对应，请核对",
              "row-uncertain": "隐藏序号与任务内容不符，无法确定属于哪项任务，请核对",
              "unclear-answer": "不是简单的“是/否”（原文照录，未判定是否完成，请核定）",
              "unit-conflict": "与另一单位报送的同一行不同（请选择采用哪一份，全部接受不会合入）",
              "unit-rival": "与配合单位自报的内容不同（牵头单位汇总：以本表为准）",
              "comment": "单位加了批注（批注内容作为备注保存）", "struck-old-text": "单位删除线标出的旧内容",
              "text-box": "单位的文本框（文字作为备注保存）", "picture": "单位附了图片（台账不保存图片，请在原文件中查看）",
              "outside-text": "表格外的文字作为备注保存", "answer-in-comment": "答案写在批注中，已取批注内容",
              "answer-in-text-box": "答案写在文本框中，已取文本框文字",
              "answer-elsewhere": "只写了“见附件/详见下图”，内容不在表中",
              "target-other-quarter": "报回表中的季度目标是其他季度的（全部接受不会合入）",
              "role-changed": "责任类型被改动（不会合入）",
              "cleared": "单位清空了此项（合并后台账中的内容将被删除）"}
BLANK_MESSAGE = "表格未填写（{fields}均为空），不计为已报。请联系该单位填写后重新报送。"


@dataclass
class Staging:
    changes: list[dict] = field(default_factory=list)
    real: int = 0            # changes whose new value differs from the old
    messages: list[str] = field(default_factory=list)
    reject: str = ""
    blank: bool = False      # nothing typed: 未填写, not 已报
    ask: bool = False        # a row the reader could not place with certainty: the clerk confirms the file


FLUSH_BYTES = 64 * 1024 * 1024   # write what was read so far when this much is held in memory


@dataclass
class Prepared:
    src: Source
    data: bytes | None = None
    digest: str = ""
    ident: Identity = field(default_factory=Identity)
    staging: Staging = field(default_factory=Staging)
    status: str = "rejected"
    messages: list[str] = field(default_factory=list)
    result: CollectedFile | None = None     # set when nothing is to be written (missing file, duplicate)
    sheet: str = ""                # the worksheet, when the file holds several units' sheets


class RunCache:
    """What every file of one collect run asks the ledger: loaded once per run, not once per file."""

    def __init__(self, conn: Connection):
        self.conn = conn
        self.units = {r.id: r.name for r in conn.execute(select(schema.unit.c.id, schema.unit.c.name))}
        self.campaigns = {r.year: r.id for r in conn.execute(select(schema.campaign.c.year, schema.campaign.c.id))}
        self.hashes: set[str] = set(conn.execute(select(schema.submission.c.file_hash).distinct()).scalars())  # files seen before
        self._memo: dict = {}

    def memo(self, key, build):
        if key not in self._memo:
            self._memo[key] = build()
        return self._memo[key]


class CollectedFile(TypedDict):
    """One file of a collect run: what it was taken for and what the clerk is told about it."""
    path: str
    status: str            # a SubmissionStatus, or "rejected" / "duplicate" for a file not recorded anew
    unit: str
    form: str
    period: str
    changes: int           # real differences staged
    message: str
    submission_id: int | None
    sheet: str


class Confirmed(TypedDict):
    """A needs-confirmation file after the clerk named its unit, form and month."""
    submission_id: int
    status: str
    unit: str
    form: str
    period: str
    changes: int


RETURNS = LedgerChange.of(Area.RETURNS)   # what collect and confirm change: the received files and their staging


def collect(ledger: Ledger, paths: list, work: Work | None = None) -> ChangedRows[CollectedFile]:
    """A CollectedFile for every file found in `paths`, in order, with the change (the received files).

    Files are read and diffed first; then stored (content-addressed) and recorded in one transaction, so a
    cancelled run of up to FLUSH_BYTES (64 MiB) of files records nothing. A larger run records each batch when the
    files read so far pass FLUSH_BYTES (whole files, each with all its changes, one transaction a batch): a cancel
    keeps the batches recorded before it (a later run finds those files already received) and records nothing of
    the batch being read (tests/core/returns/test_collect_cancel.py).
    """
    work = given(work)
    results: list[CollectedFile] = []
    with tempfile.TemporaryDirectory(prefix="dcta-collect-") as tmp:
        sources = expand([Path(p) for p in paths], Path(tmp), work)
        total = len(sources)
        pending: list[Prepared] = []
        held = 0
        with ledger.read() as conn:
            cache = RunCache(conn)
            for n, src in enumerate(sources):
                work.step(n, total, src.name)
                prepared = _prepare(cache, src)
                pending += prepared
                held += len(prepared[0].data or b"")
                if held > FLUSH_BYTES:
                    work.check()   # 取消 while this batch was read: none of it is recorded
                    results += _record_all(ledger, pending)
                    pending, held = [], 0
        work.check()
        results += _record_all(ledger, pending)
        work.report(total, total, "完成")
    return ChangedRows(tuple(results), change=RETURNS)


def _blank(src: Source) -> CollectedFile:
    return {"path": src.label, "status": "rejected", "unit": "", "form": "", "period": "", "changes": 0,
            "message": "", "submission_id": None, "sheet": ""}


def _duplicate_of(conn: Connection, src: Source, digest: str) -> CollectedFile | None:
    earlier = conn.execute(select(schema.submission).where(schema.submission.c.file_hash == digest)
                           .order_by(schema.submission.c.id)).mappings().first()
    if not earlier:
        return None
    return {**_blank(src), "status": "duplicate", "unit": _unit_name(conn, earlier["unit_id"]),
            "form": earlier["form"] or "", "period": earlier["period"] or "", "submission_id": earlier["id"],
            "message": f"与 {earlier['collected_at']:%Y-%m-%d %H:%M} 收到的“{earlier['file_name']}”完全相同，未重复处理。"}


def _prepare(cache: RunCache, src: Source) -> list[Prepared]:
    """Read, identify and diff one file (no writes): one Prepared, or one per unit's sheet when the workbook holds
    filled sheets of different units (一个单位两块牌子)."""
    p = Prepared(src=src)
    if not src.path.is_file():
        p.result = {**_blank(src), "message": src.error or f"找不到文件“{src.path}”。"}
        return [p]
    p.data = src.path.read_bytes()
    p.digest = file_store.sha256_of(p.data)
    dup = _duplicate_of(cache.conn, src, p.digest) if p.digest in cache.hashes else None
    if dup:
        p.result, p.data = dup, None
        return [p]
    if src.error:
        p.staging.reject = src.error
    else:
        try:
            book = read_returned(src.path, p.data, src.kind)
            forms = parse_forms(book)
            if not forms:
                raise UserError(f"文件“{src.name}”中没有找到落实计划表或落实情况表的表头（序号、重点任务、完成情况……），"
                                "不是报送的表格。")
            split = identify_sheets(cache.conn, book, forms, src.name, cache)
            if split:
                names = "、".join(f"「{f.sheet}」{i.unit_name}" for f, i in split)
                out = []
                for one, ident in split:
                    q = Prepared(src=src, data=p.data, digest=p.digest, ident=ident, sheet=one.sheet)
                    one.notes.insert(0, f"工作簿中有 {len(split)} 个单位各自填写的工作表（{names}），分别登记；"
                                        f"本份为工作表「{one.sheet}」。")
                    _stage_sheet(cache, q, one)
                    _settle(q)
                    out.append(q)
                return out
            form = pick_form(forms)
            assert form is not None
            p.ident = identify(cache.conn, book, form, src.name, cache)
            _stage_sheet(cache, p, form)
        except UserError as exc:
            p.staging.reject = exc.message
        except Exception as exc:  # noqa: BLE001 - a hostile file must never crash the collect of the others
            logging.getLogger("ducha").exception("collect: reading %s failed", src.label)
            p.staging.reject = (f"文件“{src.name}”无法读取（{type(exc).__name__}），已拒收。"
                                "请让对方在 Excel/WPS 中另存为 .xlsx 后重新发送。")
    _settle(p)
    return [p]


def _stage_sheet(cache: RunCache, p: Prepared, form: ParsedForm) -> None:
    """Diff one identified sheet against the ledger; a failure rejects this sheet only."""
    try:
        if not p.ident.reject and p.ident.complete:
            p.staging = stage_changes(cache.conn, p.ident, form, cache)
    except UserError as exc:
        p.staging.reject = exc.message
    except Exception as exc:  # noqa: BLE001 - a hostile file must never crash the collect of the others
        logging.getLogger("ducha").exception("collect: staging %s failed", p.src.label)
        p.staging.reject = (f"文件“{p.src.name}”无法读取（{type(exc).__name__}），已拒收。"
                            "请让对方在 Excel/WPS 中另存为 .xlsx 后重新发送。")


def _settle(p: Prepared) -> None:
    """The status and messages of one prepared file or sheet."""
    ident, staging = p.ident, p.staging
    reject = staging.reject or ident.reject
    messages = list(staging.messages)
    if reject:
        status, messages = "rejected", [reject]
        staging.changes = []
    elif staging.blank:
        status = "blank"
    elif staging.ask or not ident.stamped or ident.conflict or not ident.complete:
        status = "needs-confirmation"
        if ident.conflict:
            messages.insert(0, ident.conflict + "，请确认单位、表格和月份。")
        elif staging.ask and ident.stamped and ident.complete:
            pass   # the reason is in the messages already
        else:
            got = "、".join(ident.proposed_from) or "无"
            messages.insert(0, f"表中的标识已丢失（可能是重新录入的表），依据{got}推测为：{ident.unit_name or '？'} "
                               f"{ident.period or '？'}，请确认。")
    elif staging.real == 0 and not any(c["field"] in ("_task_text", "_role") for c in staging.changes):
        status = "unchanged"
        messages.insert(0, "与台账内容相同，无需合并。")
    else:
        status = "staged"
    p.status, p.messages = status, messages


def _record_all(ledger: Ledger, prepared: list[Prepared]) -> list[CollectedFile]:
    """Store the files (synced), then record every submission and its changes in one transaction."""
    sub = schema.submission
    todo = [p for p in prepared if p.result is None]
    file_store.put_many(ledger, list({p.digest: p.data for p in todo if p.data is not None}.values()))
    out: list[CollectedFile] = []
    collected = now()
    with ledger.begin() as conn:
        campaigns = {r.year: r.id for r in conn.execute(select(schema.campaign.c.year, schema.campaign.c.id))}
        digests = list({p.digest for p in todo})
        known = {r.file_hash for r in conn.execute(select(sub.c.file_hash).where(sub.c.file_hash.in_(digests)))} \
            if digests else set()
        stored = set(conn.execute(select(schema.stored_file.c.hash).where(schema.stored_file.c.hash.in_(digests)))
                     .scalars()) if digests else set()
        versions: dict[tuple, list[Version]] = {}
        new_files: list[dict] = []
        rows: list[dict] = []
        changes: list[dict] = []
        # (file, its result / the index of its new row / the file it repeats)
        plan: list[tuple[Prepared, CollectedFile | tuple[str, int]]] = []
        first: dict[tuple[str, str], int] = {}       # (file hash, sheet) -> index in plan of its first copy in this batch
        for p in prepared:
            if p.result is not None:
                plan.append((p, p.result))
                continue
            dup = _duplicate_of(conn, p.src, p.digest) if p.digest in known else None
            if dup:
                plan.append((p, dup))
                continue
            if (p.digest, p.sheet) in first:
                plan.append((p, ("same", first[(p.digest, p.sheet)])))
                continue
            first[(p.digest, p.sheet)] = len(plan)
            ident = p.ident
            if p.digest not in stored:
                new_files.append({"hash": p.digest, "name": p.src.name, "size": len(p.data or b""), "stored_at": collected})
                stored.add(p.digest)
            plan.append((p, ("row", len(rows))))
            rows.append({"campaign_id": campaigns.get(ident.year), "unit_id": ident.unit_id, "form": ident.form or None,
                         "period": ident.period or None, "file_hash": p.digest, "file_name": p.src.name,
                         "received_at": p.src.received_at, "sheet": p.sheet, "collected_at": collected,
                         "status": p.status, "message": "\n".join(p.messages),
                         "identified_by": "、".join(CARRIER_NAMES.get(c, c) for c in ident.carriers) if ident.stamped
                         else "推测：" + "、".join(ident.proposed_from)})
        if new_files:   # the stored_file rows before the submission rows that point at them
            conn.execute(insert(schema.stored_file), new_files)
        # one statement for the batch, ids back in the rows' order (SQLite and PostgreSQL both return them)
        sids: list[int] = list(conn.execute(insert(sub).returning(sub.c.id, sort_by_parameter_order=True), rows).scalars()) \
            if rows else []
        results: list[CollectedFile] = []
        for p, what in plan:
            src, ident = p.src, p.ident
            if isinstance(what, dict):
                results.append(what)
                continue
            kind, index = what
            if kind == "same":
                earlier = results[index]
                results.append({**earlier, "path": src.label, "status": "duplicate", "changes": 0,
                                "message": f"与同批的“{earlier['path']}”完全相同，未重复处理。"})
                continue
            sid = sids[index]
            key = (ident.unit_id, ident.form, ident.period)
            if p.status in ("staged", "needs-confirmation", "unchanged") and ident.complete:
                versions.setdefault(key, []).append(Version(sid, src.name, p.status, src.received_at, src.mailed, True))
            changes += [{"submission_id": sid, **ch} for ch in p.staging.changes]
            results.append({**_blank(src), "status": p.status, "unit": ident.unit_name, "form": ident.form,
                            "period": ident.period, "changes": p.staging.real, "message": "\n".join(p.messages),
                            "submission_id": sid, "sheet": p.sheet})
        out += results
        if changes:
            conn.execute(insert(schema.change), changes)
        by_sid = {r["submission_id"]: r for r in out if r["submission_id"] is not None}
        for sid, (status, notes) in settle_all(conn, versions).items():   # one version per unit and period
            if sid in by_sid:
                r = by_sid[sid]
                r["status"], r["message"] = status, "\n".join([m for m in [r["message"]] if m] + notes)
        found = mark_unit_conflicts(conn, [sid for sid, r in by_sid.items() if r["status"] in ("staged", "needs-confirmation")])
        write_conflict_messages(conn, found)   # a co-unit's row reported twice: both kept, the clerk chooses
        for sid, notes in found.items():
            if sid in by_sid:
                by_sid[sid]["message"] = "\n".join([m for m in [by_sid[sid]["message"]] if m] + notes)
    return out


def _unit_name(conn: Connection, unit_id: int | None) -> str:
    if not unit_id:
        return ""
    return conn.execute(select(schema.unit.c.name).where(schema.unit.c.id == unit_id)).scalar() or ""


def expected_tasks(conn: Connection, year: int, unit_id: int) -> list[Expected]:
    t, a = schema.task, schema.assignment
    rows = conn.execute(select(t.c.id, t.c.uid, t.c.kind, t.c.seq, t.c.text, t.c.closed_on)
                        .join(schema.campaign, schema.campaign.c.id == t.c.campaign_id)
                        .join(a, a.c.task_id == t.c.id)
                        .where(schema.campaign.c.year == year, a.c.unit_id == unit_id, t.c.active.is_(True))
                        .order_by(t.c.kind, t.c.seq)).all()
    return [Expected(task_id=r.id, uid=r.uid, kind=r.kind, seq=r.seq, text=r.text, closed_on=r.closed_on) for r in rows]


def campaign_uids(conn: Connection, year: int | None) -> set[str]:
    return set(conn.execute(select(schema.task.c.uid).join(schema.campaign)
                            .where(schema.campaign.c.year == year)).scalars())


def _first_day(period: str) -> date:
    """The first day a form's period covers: the month of a 落实情况表, the year of a 落实计划表."""
    return date(int(period[:4]), int(period[5:7]) if len(period) >= 7 else 1, 1)


def _prev_month(period: str) -> str:
    y, m = int(period[:4]), int(period[5:7])
    return f"{y - 1}-12" if m == 1 else f"{y}-{m - 1:02d}"


def _expected_by_unit(conn: Connection, year: int | None) -> dict[int, list[Expected]]:
    t, a = schema.task, schema.assignment
    out: dict[int, list[Expected]] = {}
    for r in conn.execute(select(t.c.id, t.c.uid, t.c.kind, t.c.seq, t.c.text, t.c.closed_on, a.c.unit_id)
                          .join(schema.campaign, schema.campaign.c.id == t.c.campaign_id)
                          .join(a, a.c.task_id == t.c.id)
                          .where(schema.campaign.c.year == year, t.c.active.is_(True)).order_by(t.c.kind, t.c.seq)):
        out.setdefault(r.unit_id, []).append(Expected(task_id=r.id, uid=r.uid, kind=r.kind, seq=r.seq, text=r.text,
                                                      closed_on=r.closed_on))
    return out


def _assigned(conn: Connection, year: int | None) -> dict[int, dict[int, str]]:
    """task_id -> {unit_id: role}."""
    out: dict[int, dict[int, str]] = {}
    a, t, c = schema.assignment, schema.task, schema.campaign
    for r in conn.execute(select(a.c.task_id, a.c.unit_id, a.c.role).select_from(a).join(t, t.c.id == a.c.task_id)
                          .join(c, c.c.id == t.c.campaign_id).where(c.c.year == year)):
        out.setdefault(r.task_id, {})[r.unit_id] = r.role
    return out


def _gathered_by(assigned: dict[int, dict[int, str]], unit_id: int | None) -> dict[int, set[int]]:
    """task_id -> the units whose rows this unit may carry: only a task's lead carries its co-units' rows
    (牵头单位汇总); a co-unit's file never speaks for the lead."""
    return {t: set(units) for t, units in assigned.items() if unit_id is not None and units.get(unit_id) == "lead"}


def stage_changes(conn: Connection, ident: Identity, form: ParsedForm, cache: RunCache | None = None) -> Staging:
    """The field changes this file brings, against what the ledger holds, with reviewer flags."""
    cache = cache or RunCache(conn)
    staging = Staging()
    expected = cache.memo(("expected", ident.year), lambda: _expected_by_unit(conn, ident.year)).get(ident.unit_id, [])
    if ident.form != form.form:
        staging.reject = (f"表中标识为{'计划表' if ident.form == 'plan' else '情况表'}，但表格的列是"
                          f"{'计划表' if form.form == 'plan' else '情况表'}的，内容与标识不符，已拒收。")
        return staging
    if not expected:
        staging.reject = f"{ident.unit_name} 在 {ident.year} 年没有承担任务，无法合并这份表。"
        return staging
    per_quarter = ident.form == "plan" and not any(q in form.columns for q in ("q1", "q2", "q3", "q4"))
    roles = cache.memo(("assigned", ident.year), lambda: _assigned(conn, ident.year))
    co_units = _gathered_by(roles, ident.unit_id)
    for fr in form.rows:
        for f, v in fr.values.items():
            if v in PLACEHOLDERS:
                fr.values[f] = ""
    result = match_rows(form.rows, expected, per_quarter=per_quarter, own_unit=ident.unit_id, co_units=co_units)
    if result.foreign_keys:
        uids = cache.memo(("uids", ident.year), lambda: campaign_uids(conn, ident.year))
        strangers = [k for k in result.foreign_keys if k.rsplit(":", 2)[0] not in uids]
        if strangers and not result.matched:
            staging.reject = "表中的任务不属于台账中的任何任务（可能是其他年度或其他批次的表），已拒收。"
            return staging
        if result.foreign_units - {ident.unit_id}:
            staging.messages.append(f"表中有 {len(result.foreign_keys)} 行属于其他单位的任务，未采用。")
    if not result.matched:
        staging.reject = "表中没有一行能对应到该单位的任务（任务内容和序号都对不上），请确认是否发错了表。"
        return staging
    staging.messages += form.notes
    if form.others_filled:
        staging.ask = True
        staging.messages.append(f"工作簿中另有工作表「{'」「'.join(form.others_filled)}」也填写了内容，本次只读取了"
                                f"「{form.sheet}」，请核对后确认。")
    if form.others_tables:
        staging.messages.append(f"工作簿中另有工作表「{'」「'.join(form.others_tables)}」，是单位自拟的表格（不是下发的报表），"
                                "未作为报表读取；原文件已随本次报送保存，请在原文件中查看。")
    if _typed_nothing(cache, ident, form, result):
        staging.blank, staging.changes, staging.real = True, [], 0
        names = "、".join(FIELD_NAMES[f] for f in TYPED_FIELDS[ident.form] if f in FIELD_NAMES)
        staging.messages.insert(0, BLANK_MESSAGE.format(fields=names))
        return staging
    placed = place_marks(form, [m.row.line for m in result.matched])
    staging.messages += placed.messages
    if ident.form == "report":
        _stage_report(cache, ident, form, result, staging, placed)
    else:
        staging.messages += [f"第{line}行：{text}" for line, notes in sorted(placed.notes.items()) for text, _f in notes]
        _stage_plan(cache, ident, form, result, staging)
    for m in result.matched:
        written = ROLE_WORDS.get(re.sub(r"\s+", "", m.row.values.get("role", "")))
        role = roles.get(m.task.task_id, {}).get(m.unit_id or ident.unit_id)
        if written and role and written != role:   # 责任类型 牵头↔配合 changed: shown like a changed task text
            staging.changes.append({"task_id": m.task.task_id, "unit_id": m.unit_id or ident.unit_id, "target": "task",
                                    "period": ident.period, "quarter": m.quarter, "field": "_role",
                                    "old": ROLE_NAMES[role], "new": m.row.values["role"], "flags": "role-changed"})
            staging.messages.append(f"第{m.row.line}行的责任类型由“{ROLE_NAMES[role]}”改为“{m.row.values['role']}”"
                                    "（不会合入，责任分工以台账为准），请核对。")
        if m.text_changed:
            staging.changes.append({"task_id": m.task.task_id, "unit_id": ident.unit_id, "target": "task",
                                    "period": ident.period, "quarter": m.quarter, "field": "_task_text",
                                    "old": m.task.text, "new": m.text_changed, "flags": "task-text-changed"})
    # a task 办结 before the form's month is left out of that form by 下发: its absence is no deleted row
    result.missing = [t for t in result.missing if not (t.closed_on and t.closed_on < _first_day(ident.period))]
    for t in result.missing:
        staging.changes.append({"task_id": t.task_id, "unit_id": ident.unit_id, "target": "task", "period": ident.period,
                                "quarter": None, "field": "_missing", "old": t.text, "new": "", "flags": "missing-row"})
    if result.missing:
        staging.messages.append(f"缺少 {len(result.missing)} 行任务（单位删去了），见差异中的“缺少的行”。")
    if result.notes:
        staging.messages.append(f"单位插入了 {sum(len(v) for v in result.notes.values())} 行，已作为备注附在相邻任务上。")
    if form.extras:
        labels = "」「".join(dict.fromkeys(form.extras.values()))
        where = "作为备注附在各行上（见差异中的“备注”）" if ident.form == "report" else "未合入，内容如下"
        staging.messages.append(f"表中有无法对应到台账栏目的列「{labels}」，其内容{where}，请核对。")
        if ident.form == "plan":
            staging.messages += [f"第{m.row.line}行「{k}」：{v}" for m in result.matched for k, v in m.row.extra.items()]
    for row in result.unplaced:
        staging.ask = True
        staging.messages.append(f"第{row.line}行的任务内容「{row.values.get('task', '')[:30]}」与隐藏序号不一致，对应的任务已有"
                                f"其他行填写，无法确定属于哪项任务；内容已作为备注附在相邻任务上，请核对后确认。")
    for m in result.matched:
        if m.by == "moved":
            staging.messages.append(f"第{m.row.line}行的任务内容与隐藏序号不一致（可能排序或删除单元格导致错位），"
                                    f"已按任务内容对应到「{m.task.text[:30]}」，请核对。")
        elif m.by == "uncertain":
            staging.ask = True
            staging.messages.append(f"第{m.row.line}行的任务内容「{m.row.values.get('task', '')[:30]}」与隐藏序号指向的任务"
                                    f"「{m.task.text[:30]}」不一致，且无法确定是哪项任务，请核对后确认。")
    return staging


def _typed_nothing(cache: RunCache, ident: Identity, form: ParsedForm, result: MatchResult) -> bool:
    """A blank return: no answer typed, no extra column, no inserted row, no 季度目标 other than the one pre-filled."""
    if form.has_answers() or result.notes:
        return False
    if ident.form != "report":
        return True
    q = _quarter_of_period(ident.period)
    plans = cache.memo(("plan",), lambda: _plan_of(cache.conn))
    return not any(m.row.values.get("quarter_target")
                   and m.row.values["quarter_target"] != getattr(plans.get((m.task.task_id, m.unit_id, q)), "target", "")
                   for m in result.matched)


def _quarter_of_period(period: str) -> int:
    return (int(period[5:7]) - 1) // 3 + 1


def _progress_of(conn: Connection, period: str) -> dict:
    pr = schema.progress_row
    return {(r.task_id, r.unit_id): r for r in conn.execute(select(pr).where(pr.c.period == period))}


def _plan_of(conn: Connection) -> dict:
    pl = schema.plan_row
    return {(r.task_id, r.unit_id, r.quarter): r for r in conn.execute(select(pl))}


def _stage_report(cache: RunCache, ident: Identity, form: ParsedForm, result: MatchResult, staging: Staging,
                  placed: Placed | None = None) -> None:
    placed = placed or Placed()
    conn = cache.conn
    period, q = ident.period, _quarter_of_period(ident.period)
    current = cache.memo(("progress", period), lambda: _progress_of(conn, period))
    previous = cache.memo(("progress", _prev_month(period)), lambda: _progress_of(conn, _prev_month(period)))
    plans = cache.memo(("plan",), lambda: _plan_of(conn))
    plan = cache.memo(("plan", q), lambda: {(t, u): r.target for (t, u, qq), r in plans.items() if qq == q})
    for m in result.matched:
        tid, unit = m.task.task_id, m.unit_id or ident.unit_id
        cur = current.get((tid, unit))
        prev = previous.get((tid, unit))
        planned = plan.get((tid, unit), "")
        old = {"quarter_target": cur.quarter_target if cur and cur.quarter_target else planned,
               "done": cur.done if cur else "", "problems": cur.problems if cur else "",
               "next_steps": cur.next_steps if cur else "", "on_track": cur.on_track_raw if cur else "",
               "note": cur.note if cur else ""}
        new = {f: m.row.values[f] for f in REPORT_FIELDS if f in form.columns}
        line = m.row.line
        found: dict[str, list[str]] = {f: list(placed.field_flags.get((line, f), [])) for f in new}
        for (at, f), (value, flag) in placed.answers.items():
            if at == line and f in new:
                new[f] = value   # the answer the unit wrote in a comment or a text box over the empty cell
                found[f].append(flag)
        notes = ["；".join(f"{k}：{v}" for k, v in m.row.extra.items())] if m.row.extra else []
        if tid in result.notes and unit == ident.unit_id:
            notes += result.notes[tid]
        marked = placed.notes.get(line, []) if unit == ident.unit_id or not m.unit_id else []
        notes += [text for text, _flag in marked]
        found["note"] = list(dict.fromkeys(flag for _text, flag in marked))
        if notes:
            new["note"] = "\n".join(notes)
        if "on_track" in new and cur is not None and cur.on_track is not None \
                and normalise(new["on_track"])[0] == cur.on_track:
            new["on_track"] = old["on_track"]   # the form shows 是/否 for what the ledger keeps as written
        row_changes = []
        for f, value in new.items():
            flags = []
            if f == "done" and value and prev is not None and prev.done == value:
                flags.append("copied-from-last-month")
            if f == "on_track":
                yes, _raw = normalise(value)
                if yes and contradicts_yes(new.get("done", ""), new.get("problems", "")):
                    flags.append("yes-but-text-says-otherwise")
                if value and yes is None:
                    flags.append("unclear-answer")
                elif value and value != old[f] and interpreted(value):
                    flags.append("answer-interpreted")
            if f == "quarter_target" and value != old[f] and planned:
                flags.append("plan-target-changed-after-accepted")
            if f == "quarter_target" and value and value != planned:
                other = next((qq for qq in range(1, 5) if qq != q and value == getattr(
                    plans.get((tid, unit, qq)), "target", None)), None)
                if other:   # a blank form of another quarter reused: never merged without the clerk's acceptance
                    flags.append("target-other-quarter")
                    staging.messages.append(f"第{m.row.line}行：报回表中的季度目标是第{other}季度的，与{period[5:7].lstrip('0')}月"
                                            f"所在的第{q}季度目标不同（可能沿用了旧表），未自动合入，请核对后逐项接受。")
            if f in ("done", "on_track") and not value:
                flags.append("empty-required")
            if f == "note" and m.row.extra:
                flags.append("extra-column")
            if f == "note" and tid in result.notes and unit == ident.unit_id:
                flags.append("inserted-row")
            flags += found.get(f, [])
            if m.by in ("moved", "uncertain"):
                flags.append("row-moved-by-text" if m.by == "moved" else "row-uncertain")
            if not value and old[f]:
                flags.append("cleared")
            differs = value != old[f]
            if differs or flags:
                row_changes.append({"task_id": tid, "unit_id": unit, "target": "progress", "period": period,
                                    "quarter": q, "field": f, "old": old[f], "new": value, "flags": ",".join(flags)})
            staging.real += differs
        staging.changes.extend(row_changes)


def _stage_plan(cache: RunCache, ident: Identity, form: ParsedForm, result: MatchResult, staging: Staging) -> None:
    plans = cache.memo(("plan",), lambda: _plan_of(cache.conn))
    current = {(t, q): r for (t, u, q), r in plans.items() if u == ident.unit_id}
    columns_layout = any(f"q{i}" in form.columns for i in range(1, 5))
    for m in result.matched:
        tid = m.task.task_id
        items = []
        if columns_layout:
            for q in range(1, 5):
                values = {"target": m.row.values.get(f"q{q}", "")}
                values.update({f: m.row.values[f] for f in ("owner", "supervisor", "remark") if f in form.columns})
                items.append((q, values))
        elif m.quarter:
            items.append((m.quarter, {f: m.row.values[f] for f in PLAN_FIELDS if f in form.columns}))
        else:
            staging.messages.append(f"第{m.row.line}行看不出是哪个季度，未采用。")
        for q, values in items:
            cur = current.get((tid, q))
            for f, value in values.items():
                old = getattr(cur, f) if cur else ""
                flags = []
                if f == "target" and cur is not None and old and value != old:
                    flags.append("plan-target-changed-after-accepted")
                if f == "target" and not value:
                    flags.append("empty-required")
                if m.by in ("moved", "uncertain"):
                    flags.append("row-moved-by-text" if m.by == "moved" else "row-uncertain")
                if not value and old:
                    flags.append("cleared")
                differs = value != old
                if differs or flags:
                    staging.changes.append({"task_id": tid, "unit_id": ident.unit_id, "target": "plan",
                                            "period": ident.period, "quarter": q, "field": f, "old": old, "new": value,
                                            "flags": ",".join(flags)})
                staging.real += differs


def form_sheets(ledger: Ledger, submission_id: int) -> tuple[list[str], str]:
    """(the worksheets of a stored file that hold a table, the one the reader takes) for the clerk's 确认身份."""
    with ledger.read() as conn:
        sub = conn.execute(select(schema.submission).where(schema.submission.c.id == submission_id)).mappings().one()
    data = file_store.read(ledger, sub["file_hash"])
    with tempfile.TemporaryDirectory(prefix="dcta-sheets-") as work:
        path = Path(work) / sub["file_name"]
        path.write_bytes(data)
        try:
            forms = parse_forms(read_returned(path, data))
        except UserError:
            return [], ""
    chosen = pick_form(forms)
    return [f.sheet for f in forms], sub["sheet"] or (chosen.sheet if chosen else "")


def confirm(ledger: Ledger, submission_id: int, unit_id: int, form: str, period: str,
            sheet: str = "") -> Changed[Confirmed]:
    """The clerk's answer for a needs-confirmation file: re-read it as that unit/form/period and stage it.
    sheet: the worksheet the clerk picked (else the one the reader chose by evidence)."""
    with ledger.read() as conn:
        sub = conn.execute(select(schema.submission).where(schema.submission.c.id == submission_id)).mappings().one()
        unit_name = _unit_name(conn, unit_id)
        if not unit_name:
            raise UserError("所选单位不存在。")
    data = file_store.read(ledger, sub["file_hash"])
    with tempfile.TemporaryDirectory(prefix="dcta-confirm-") as work:
        path = Path(work) / sub["file_name"]
        path.write_bytes(data)
        book = read_returned(path, data)
        parsed = parse_form(book)
        if sheet or sub["sheet"]:   # the clerk's pick, or one unit's sheet of a workbook holding several units' sheets
            parsed = pick_sheet(parse_forms(book), sheet or sub["sheet"])
    if parsed is None:
        if sheet:
            raise UserError(f"所选工作表「{sheet}」中没有找到表头（序号、重点任务、完成情况……），无法按它确认。请另选工作表。")
        raise UserError("文件中没有找到表头，无法确认。")
    year = int(period[:4])
    ident = Identity(unit_id=unit_id, unit_name=unit_name, form=form, period=period, year=year, stamped=True)
    with ledger.read() as conn:
        staging = stage_changes(conn, ident, parsed)
    if staging.reject:
        raise UserError(staging.reject)
    status = "staged" if staging.real or any(c["field"] in ("_task_text", "_role") for c in staging.changes) else "unchanged"
    status = "blank" if staging.blank else status
    with ledger.begin() as conn:
        cid = conn.execute(select(schema.campaign.c.id).where(schema.campaign.c.year == year)).scalar()
        conn.execute(schema.change.delete().where(schema.change.c.submission_id == submission_id))
        for ch in staging.changes:
            conn.execute(insert(schema.change).values(submission_id=submission_id, **ch))
        conn.execute(update(schema.submission).where(schema.submission.c.id == submission_id).values(
            campaign_id=cid, unit_id=unit_id, form=form, period=period, status=status, sheet=sheet or sub["sheet"],
            identified_by="人工确认", message="\n".join(["已人工确认。"] + staging.messages)))
        write_conflict_messages(conn, mark_unit_conflicts(conn, [submission_id]))
        dropped = choose(conn, submission_id)   # the clerk's pick is the period's one version
        if dropped:
            conn.execute(update(schema.submission).where(schema.submission.c.id == submission_id).values(
                message="\n".join(["已人工确认。",
                                    f"同期的其他 {len(dropped)} 份文件（#{'、#'.join(map(str, dropped))}）已作废。"]
                                   + staging.messages)))
    return Changed(Confirmed(submission_id=submission_id, status=status, unit=unit_name, form=form, period=period,
                             changes=staging.real), change=RETURNS)
