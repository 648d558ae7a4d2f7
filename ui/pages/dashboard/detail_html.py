"""The 督办 detail pane as HTML: a matrix cell (a unit's form for a period) or a task's light (plain functions)."""
from __future__ import annotations

import html

from core.ledger.row_types import TaskUnitPeriodRow
from core.tracking.dashboard_view import LIGHT_COLORS, LightRow, period_label
from core.tracking.states import MatrixRow

e = html.escape


def cell_html(cell: MatrixRow, rows: list[dict]) -> str:
    """A unit's form for one period: state, due day, when received, contact, its files and the rows in the ledger."""
    from core.tracking.deadlines import format_cn
    parts = [f"<h3>{e(cell['unit'])}</h3>",
             f"<p><b>{e(period_label(cell['form'], cell['period']))}</b>（{e(cell['period'])}）：{e(cell['state'])}<br>",
             f"报送截止：{e(format_cn(cell['due']))}<br>"]
    if cell["received"]:
        parts.append(f"收到时间：{cell['received'].strftime('%Y-%m-%d %H:%M')}<br>")
    parts.append(f"联系人：{e(cell['contact'] or '—')}　电话：{e(cell['phone'] or '—')}</p>")
    if cell["files"]:
        from core.common.vocabulary import SUBMISSION_STATUS_NAMES
        parts.append("<p><b>报送文件</b><br>" + "<br>".join(
            f"{e(f['file_name'])}（{e(SUBMISSION_STATUS_NAMES.get(f['status'], f['status']))}，"
            f"收到 {f['received_at'].strftime('%m-%d %H:%M')}）" for f in cell["files"]) + "</p>")
    if rows:
        parts.append("<p><b>台账中的填报内容</b></p><ul>")
        for r in rows:
            if cell["form"] == "plan":
                body = f"第{r['quarter']}季度：{e(r['target'])}"
            else:
                body = f"{e(r['done'] or '（未填）')}　是否完成：{e(r['on_track_raw'] or '—')}"
            src = f"<br><small>来源：{e(r['file_name'])}</small>" if r["file_name"] else ""
            parts.append(f"<li>{r['seq']}．{e(r['text'][:30])}<br>{body}{src}</li>")
        parts.append("</ul>")
    return "".join(parts)


def task_html(task: LightRow, closure: dict | None, rows: list[TaskUnitPeriodRow]) -> str:
    """A task's light and its reasons, its 办结 when closed, and what each unit reported."""
    from core.tracking.states import LIGHT_NAMES
    color = LIGHT_COLORS[task["light"]]
    parts = [f"<h3>{task['seq']}．{e(task['text'])}</h3>",
             f"<p><span style='background:{color};padding:2px 6px'>{LIGHT_NAMES[task['light']]}</span></p><ul>"]
    parts += [f"<li>{e(r)}</li>" for r in task["reasons"]]
    parts.append("</ul>")
    if closure:
        parts.append(f"<p>办结日期：{closure['day'].isoformat()}<br>办结说明：{e(closure['note'] or '—')}")
        if closure["evidence_name"]:
            parts.append(f"<br>佐证材料：{e(closure['evidence_name'])}")
        parts.append("</p>")
    parts.append("<p><b>各单位填报</b></p><ul>")
    for r in rows:
        role = "牵头" if r["lead"] else "配合"
        if r["reported"]:
            body = f"{e(r['done'] or '（未填）')}　是否完成：{e(r['on_track_raw'] or '—')}"
            src = f"<br><small>来源：{e(r['file_name'])}</small>" if r["file_name"] else ""
        else:
            body, src = "（未报）", ""
        parts.append(f"<li>{e(r['unit'])}（{role}）{r['period']}：{body}{src}</li>")
    parts.append("</ul>")
    return "".join(parts)
