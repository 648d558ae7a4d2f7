"""The 收文 detail pane as HTML: a file's status and evidence, a row's or a change's old/new text (plain functions)."""
from __future__ import annotations

import html

from core.common.vocabulary import Decision, SubmissionStatus
from core.ledger.row_types import ListedSubmission, SubmissionRow

STATUS_COLORS = {"staged": "#1f6feb", "unchanged": "#6e7781", "duplicate": "#6e7781", "needs-confirmation": "#bf8700",
                 "rejected": "#cf222e", "merged": "#1a7f37", "superseded": "#6e7781", "returned": "#8250df",
                 "blank": "#cf222e"}
DECISION_TEXT = {Decision.PENDING: "待定", Decision.ACCEPTED: "✔ 接受", Decision.REJECTED: "✘ 不接受"}
DECISION_COLORS = {Decision.PENDING: "#6e7781", Decision.ACCEPTED: "#1a7f37", Decision.REJECTED: "#cf222e"}
FORM_TEXT = {"report": "落实情况表", "plan": "落实计划表"}


def review_status(sub: ListedSubmission) -> tuple[str, str]:
    """What the status column says of a file, with its colour: a staged file tells how far its review has got."""
    from core.common.vocabulary import SUBMISSION_STATUS_NAMES as STATUS_NAMES
    status = sub["status"]
    if status == SubmissionStatus.STAGED and (sub["accepted"] or sub["rejected"]):
        if sub["pending"]:
            return f"审核中（待定 {sub['pending']}）", STATUS_COLORS["staged"]
        if sub["accepted"]:
            return "已接受，待合并", DECISION_COLORS[Decision.ACCEPTED]
        return "均不接受", DECISION_COLORS[Decision.REJECTED]
    return STATUS_NAMES.get(status, status), STATUS_COLORS.get(status, "#000")


def file_label(sub) -> str:
    """The file's name, and the worksheet when the file holds several units' sheets (one submission each)."""
    sheet = sub.get("sheet") or ""
    return f"{sub['file_name']}（工作表「{sheet}」）" if sheet else sub["file_name"]


def flag_text(flags: str | None) -> str:
    """The flags of a change (a comma list of codes) in Chinese, joined by “；”."""
    from core.returns.collect import FLAG_NAMES
    return "；".join(FLAG_NAMES.get(f, f) for f in (flags or "").split(",") if f)


def _lines(text: str | None) -> str:
    return html.escape(text or "（空）").replace("\n", "<br/>")


def change_html(changes: list[dict], rivals: dict) -> str:
    """Each change: its field, decision, flags, old and new text, their diff, and what rival files say."""
    from core.common.text_diff import to_html
    from core.returns.collect import FIELD_NAMES
    parts = ['<p style="color:#555">红色删除线：删去的文字；<span style="color:#007a33">绿色</span>：新增的文字。</p>']
    for c in changes:
        flags = flag_text(c["flags"])
        parts.append(f"<h3>{html.escape(FIELD_NAMES.get(c['field'], c['field']))}"
                     f" <span style='color:{DECISION_COLORS[c['decision']]}'>（{DECISION_TEXT[c['decision']]}）</span></h3>")
        if flags:
            parts.append(f"<p style='color:#bf8700'>⚑ {html.escape(flags)}</p>")
        parts.append("<table border='1' cellspacing='0' cellpadding='4' width='100%'>"
                     f"<tr><td width='15%'>原内容</td><td>{_lines(c['old'])}</td></tr>"
                     f"<tr><td>新内容</td><td>{_lines(c['new'])}</td></tr>"
                     f"<tr><td>差异</td><td>{to_html(c['old'], c['new']) or '（无变化）'}</td></tr>"
                     + "".join(f"<tr><td>另一份 #{o['submission_id']}<br/>{html.escape(o['file_name'])}</td>"
                               f"<td>{to_html(c['new'], o['new']) or '（相同）'}</td></tr>"
                               for o in rivals.get((c["task_id"], c["unit_id"], c["quarter"], c["field"]), []))
                     + "</table>")
        if c.get("comment"):
            parts.append(f"<p>意见：{html.escape(c['comment'])}</p>")
    return "".join(parts)


def file_html(sub: ListedSubmission, others: list[SubmissionRow]) -> str:
    """One file: name, review state, unit/form/period, when received and how identified, counts, hash, rival files."""
    from core.common.vocabulary import SUBMISSION_STATUS_NAMES as STATUS_NAMES
    status_text, status_color = review_status(sub)
    lines = [f"<h2>{html.escape(file_label(sub))}</h2>",
             f"<p>状态：<b style='color:{status_color}'>{status_text}</b></p>",
             f"<p>单位：{html.escape(sub['unit_name'] or '未识别')}　表格：{FORM_TEXT.get(sub['form'] or '', '？')}"
             f"　期间：{sub['period'] or '？'}</p>",
             f"<p>收到：{sub['received_at']:%Y-%m-%d %H:%M}　识别依据：{html.escape(sub['identified_by'] or '')}</p>",
             f"<p>变化 {sub['changes']} 处：接受 {sub['accepted']}，不接受 {sub['rejected']}，待定 {sub['pending']}</p>",
             f"<p>文件指纹（SHA-256）：<code>{sub['file_hash']}</code></p>"]
    if sub["message"]:
        lines.append("<p style='color:#bf8700'>" + html.escape(sub["message"]).replace("\n", "<br/>") + "</p>")
    if others:
        lines.append("<p><b>同一单位同一期的其他文件：</b>" + "、".join(
            f"#{o['id']} {html.escape(o['file_name'])}（{STATUS_NAMES.get(o['status'], o['status'])}）" for o in others)
            + "。请对照后接受其中一份。</p>")
    return "".join(lines)
