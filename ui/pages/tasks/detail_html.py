"""The 台账 page's detail pane as HTML: a task's fields, its months as merged (with source file and merge 痕迹) and
its history. Plain functions of the rows core reads, tested without Qt."""
from __future__ import annotations

import html

from core.ledger.row_types import HistoryRow

from ...task_table_model import KIND_NAMES, task_status

FIELD_LABELS = {"created": "新建", "text": "任务内容", "area": "重点领域", "category": "类别", "leaders": "牵头领导",
                "units": "责任单位", "seq": "序号", "active": "有效", "closed_on": "办结日期", "unit": "责任单位",
                "closed_note": "办结说明"}
MERGE_FIELD_LABELS = {"done": "完成情况", "problems": "存在问题", "next_steps": "下一步计划", "on_track": "是否完成",
                      "quarter_target": "季度目标"}
SOURCE_LABELS = {"import": "导入", "file": "报送文件", "hand": "手工", "undo": "撤销", "closure": "办结",
                 "system": "系统"}
NOTHING_CHOSEN = "<p style='color:#777'>选中一项任务查看详情。</p>"


def task_html(task: dict, months: list[dict], history: list[HistoryRow]) -> str:
    """The whole pane: fields, 各月报送 (newest month first) and 痕迹 (newest first)."""
    esc = html.escape
    units = "、".join(f"<b>{esc(u['name'])}</b>" if u["lead"] else esc(u["name"]) for u in task["units"])
    parts = [
        f"<h3>{esc(KIND_NAMES.get(task['kind'], task['kind']))} 第 {task['seq']} 项</h3>",
        f"<p>{esc(task['text']).replace(chr(10), '<br>')}</p>",
        "<table cellspacing='0' cellpadding='3'>",
    ]
    for label, value in (("重点领域", esc(task.get("area") or "—")), ("类别", esc(task.get("category") or "—")),
                         ("牵头领导", esc("、".join(task["leaders"]) or "—")),
                         ("责任单位", (units or "—") + "<br><span style='color:#777'>（加粗为牵头单位）</span>"),
                         ("状态", esc(task_status(task)))):
        parts.append(f"<tr><td style='color:#555' valign='top'>{label}：</td><td>{value}</td></tr>")
    parts.append("</table>")
    parts += year_html(months)
    parts += history_html(history)
    return "".join(parts)


def history_html(history: list[HistoryRow]) -> list[str]:
    esc = html.escape
    parts = ["<h4>痕迹</h4>"]
    if not history:
        return parts + ["<p style='color:#777'>无记录。</p>"]
    parts.append("<ul>")
    for h in reversed(history):
        field = FIELD_LABELS.get(h["field"], h["field"])
        source = SOURCE_LABELS.get(h["source_kind"], h["source_kind"])
        ref = h["source_ref"].split(":", 1)[-1] if h["source_ref"] else ""
        change = "新建" if h["field"] == "created" else f"{field}：{_short(h['old'])} → {_short(h['new'])}"
        parts.append(f"<li>{esc(h['at'][:16])} {esc(source)} {esc(ref)}<br>{esc(change)}</li>")
    parts.append("</ul>")
    return parts


def year_html(months: list[dict]) -> list[str]:
    """各月报送: per month (newest first) and unit, what was merged, its source file and the merge 痕迹."""
    parts = ["<h4>各月报送（最近的月份在前）</h4>"]
    if not months:
        return parts + ["<p style='color:#777'>还没有合并进台账的月度报送。</p>"]
    shown = None
    for r in months:
        if r["period"] != shown:
            shown = r["period"]
            parts.append(f"<p style='margin-top:8px;background:#eef3f8'><b>{int(shown[:4])}年{int(shown[5:7])}月</b></p>")
        parts += _month_row_html(r)
    return parts


def _month_row_html(r: dict) -> list[str]:
    esc = html.escape
    yes = {True: "是", False: "否"}.get(r["on_track"], r["on_track_raw"] or "未填")
    colour = {True: "#1a7f37", False: "#c62828"}.get(r["on_track"], "#777")
    name = f"<b>{esc(r['unit'])}</b>（牵头）" if r["lead"] else f"{esc(r['unit'])}（配合）"
    parts = [f"<p>{name}　是否完成：<span style='color:{colour}'><b>{esc(yes)}</b></span></p>",
             "<table cellspacing='0' cellpadding='2'>"]
    for label, key in (("完成情况", "done"), ("存在问题", "problems"), ("下一步计划", "next_steps")):
        text = esc(r[key] or "—").replace(chr(10), "<br>")
        parts.append(f"<tr><td style='color:#555' valign='top' width='76'>{label}：</td><td>{text}</td></tr>")
    parts.append("</table>")
    if r["file_hash"]:
        parts.append(f"<p style='color:#555'>来源文件：<a href='stored:{r['file_hash']}'>{esc(r['file_name'])}</a>"
                     f"（收到 {esc(r['received_at'])}）</p>")
    for m in r["merges"]:
        fields = "、".join(dict.fromkeys(MERGE_FIELD_LABELS.get(f, f) for f in m["fields"]))
        who = f"{esc(m['clerk'])} " if m["clerk"] else ""
        source = esc(m["file_name"] or m["file_hash"][:12])
        parts.append(f"<p style='color:#777'>痕迹：{esc(m['at'])} {who}合并自 {source}（{esc(fields)}）</p>")
    return parts


def _short(value, limit: int = 60) -> str:
    text = "" if value is None else str(value)
    return text if len(text) <= limit else text[:limit] + "…"
