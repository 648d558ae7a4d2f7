"""附件3 (落实计划表) row sets per unit, in either layout: quarters as rows (2026) or as columns with 备注 (2021/2023/2025)."""
from __future__ import annotations

from datetime import date

from core.forms.rows import ROLE_NAMES, CampaignData, FormRow, open_on, seq_label
from core.forms.stamp import row_key

QUARTER_NAMES = ["一季度", "二季度", "三季度", "四季度"]
# fields merged over a task's four rows in the rows layout
MERGED_FIELDS = {"序号", "任务", "责任类型"}
INPUT_FIELDS_ROWS = {"季度目标", "主要负责人", "分管负责人", "备注"}
INPUT_FIELDS_COLUMNS = {"一季度", "二季度", "三季度", "四季度", "主要负责人", "分管负责人", "备注"}


def input_fields(layout: str) -> set[str]:
    return INPUT_FIELDS_ROWS if layout == "rows" else INPUT_FIELDS_COLUMNS


def plan_rows(data: CampaignData, unit_id: int, layout: str | None = None) -> tuple[list[FormRow], int]:
    """(rows, number of tasks) of one unit's 附件3; tasks closed before the year are left out."""
    layout = layout or data.layout
    first_day = date(data.year, 1, 1)
    rows: list[FormRow] = []
    ntasks = 0
    for item in data.by_unit.get(unit_id, []):
        task = item.task
        if task.get("closed_on") is not None or not open_on(task, first_day):
            continue
        base = {"序号": seq_label(task), "任务": task["text"], "责任类型": ROLE_NAMES.get(item.role, item.role)}
        plans = [data.plan.get((task["id"], unit_id, q)) or {} for q in (1, 2, 3, 4)]
        if layout == "rows":
            for q in (1, 2, 3, 4):
                p = plans[q - 1]
                values = dict(base, 时间=QUARTER_NAMES[q - 1], 季度目标=p.get("target", ""),
                              主要负责人=p.get("owner", ""), 分管负责人=p.get("supervisor", ""),
                              备注=p.get("remark", ""))
                rows.append(FormRow(row_key(task["uid"], unit_id, q), values, group=ntasks,
                                    task_uid=task["uid"], unit_id=unit_id, quarter=q))
        else:
            def first(k: str, plans: list[dict] = plans) -> str:
                return next((p[k] for p in plans if p.get(k)), "")

            remarks = [p["remark"] for p in plans if p.get("remark")]
            values = dict(base, 主要负责人=first("owner"), 分管负责人=first("supervisor"),
                          备注="；".join(dict.fromkeys(remarks)))
            for q in (1, 2, 3, 4):
                values[QUARTER_NAMES[q - 1]] = plans[q - 1].get("target", "")
            rows.append(FormRow(row_key(task["uid"], unit_id), values, group=ntasks,
                                task_uid=task["uid"], unit_id=unit_id))
        ntasks += 1
    return rows, ntasks
