"""附件4 (落实情况表) row sets per unit and month: the quarter's planned target pre-filled, lead-unit gathering as an option."""
from __future__ import annotations

from datetime import date

from sqlalchemy import Connection, select

from core.ledger import schema
from core.forms.rows import ROLE_NAMES, CampaignData, FormRow, open_on, seq_label
from core.forms.stamp import row_key

NO_PLAN_NOTE = "（计划表尚未报送）"   # shown grey italic where no plan is in the ledger; means "empty"
INPUT_FIELDS = {"完成情况", "存在问题", "下一步计划", "是否完成阶段任务目标"}
YESNO_FIELDS = {"是否完成阶段任务目标"}
TARGET_FIELD = "季度计划完成目标"


def quarter_of(period: str) -> int:
    return (int(period[5:7]) - 1) // 3 + 1


def load_progress(conn: Connection, cid: int, period: str) -> dict[tuple[int, int], dict]:
    """What the ledger already holds for the month (re-sent forms show it)."""
    p, t = schema.progress_row, schema.task
    return {(r["task_id"], r["unit_id"]): dict(r) for r in conn.execute(
        select(p.c.task_id, p.c.unit_id, p.c.done, p.c.problems, p.c.next_steps, p.c.on_track)
        .join(t, t.c.id == p.c.task_id).where(t.c.campaign_id == cid, p.c.period == period)).mappings()}


def _row(data: CampaignData, task: dict, unit_id: int, role_text: str, quarter: int, progress: dict,
         group: int) -> FormRow:
    plan = data.plan.get((task["id"], unit_id, quarter)) or {}
    target = plan.get("target", "")
    done = progress.get((task["id"], unit_id)) or {}
    on_track = done.get("on_track")
    values = {"序号": seq_label(task), "任务": task["text"], "责任类型": role_text, TARGET_FIELD: target,
              "完成情况": done.get("done", ""), "存在问题": done.get("problems", ""),
              "下一步计划": done.get("next_steps", ""),
              "是否完成阶段任务目标": "" if on_track is None else ("是" if on_track else "否")}
    row = FormRow(row_key(task["uid"], unit_id), values, group=group, task_uid=task["uid"], unit_id=unit_id)
    if not target:
        row.notes.add(TARGET_FIELD)   # a grey locked note: the unit has nothing to fill in there
    return row


def report_rows(data: CampaignData, unit_id: int, period: str,
                progress: dict[tuple[int, int], dict] | None = None) -> tuple[list[FormRow], int]:
    """(rows, number of tasks) of one unit's 附件4 for `period` (YYYY-MM).

    With lead gathering, a task's first lead unit gets a row for each co-unit (keyed by the co-unit),
    and co-units get no row for tasks that have a lead unit. Tasks closed before the month are left out.
    """
    progress = progress or {}
    first_day = date(int(period[:4]), int(period[5:7]), 1)
    quarter = quarter_of(period)
    rows: list[FormRow] = []
    ntasks = 0
    for item in data.by_unit.get(unit_id, []):
        task = item.task
        if not open_on(task, first_day):
            continue
        units = data.by_task.get(task["id"], [])
        leads = [x for x in units if x.role == "lead"]
        if data.lead_gathering and item.role == "co" and leads:
            continue
        rows.append(_row(data, task, unit_id, ROLE_NAMES.get(item.role, item.role), quarter, progress, ntasks))
        if data.lead_gathering and item.role == "lead" and leads[0].unit_id == unit_id:
            for co in units:
                if co.role == "co":
                    name = data.units.get(co.unit_id, {}).get("name", str(co.unit_id))
                    rows.append(_row(data, task, co.unit_id, f"配合：{name}", quarter, progress, ntasks))
        ntasks += 1
    return rows, ntasks
