"""Where what a unit put outside the answer cells goes: a note on the nearest task row, the answer, or the file's message."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from core.returns.marks import MAX_MARK_PART
from core.returns.read import Mark, ParsedForm

ANSWERS = ("done", "problems", "next_steps", "on_track", "quarter_target", "target", "q1", "q2", "q3", "q4")
COLUMN_NAMES = {"quarter_target": "季度计划完成目标", "done": "完成情况", "problems": "存在问题", "next_steps": "下一步计划",
                "on_track": "是否完成阶段任务目标", "target": "季度目标及推进计划", "owner": "主要负责人",
                "supervisor": "分管负责人", "remark": "备注", "task": "任务内容", "seq": "序号", "role": "责任类型",
                "q1": "一季度", "q2": "二季度", "q3": "三季度", "q4": "四季度"}
STRUCK = "单位删除线标出的旧内容"
PICTURE = "单位在第{line}行附了图片{count}，台账不保存图片，请在原文件中查看"
SEE_COMMENT = re.compile(r"^\W*(详见|见|具体见|详情见)?\s*(批注|备注栏?|注释)\W*$")
SEE_ELSEWHERE = re.compile(r"^\W*(详见|见|具体见|详情见|附)\s*(附件|附表|下图|图片|照片|图)\S{0,6}\W*$")
FLAGS = {"comment": "comment", "struck": "struck-old-text", "shape": "text-box", "picture": "picture",
         "outside": "outside-text"}


@dataclass
class Placed:
    notes: dict[int, list[tuple[str, str]]] = field(default_factory=dict)   # row line -> [(note text, flag)]
    answers: dict[tuple[int, str], tuple[str, str]] = field(default_factory=dict)   # (row line, field) -> (value, flag)
    field_flags: dict[tuple[int, str], list[str]] = field(default_factory=dict)   # (row line, field) -> flags
    messages: list[str] = field(default_factory=list)


def column_name(column: str) -> str:
    return COLUMN_NAMES.get(column, column) or "表格"


def place(form: ParsedForm, lines: list[int]) -> Placed:
    """lines: the sheet rows (1-based) of the matched task rows. Every mark lands on one of them or in messages.
    A 计划表 takes no note field: its notes are shown whole in the messages (collect adds them)."""
    out = Placed()
    lines = sorted(lines)
    by_line = {r.line: r for r in form.rows}
    commented: list[str] = []
    for m in sorted(form.marks, key=lambda m: (m.line, m.kind == "red", m.kind)):
        owner = _owner(m, lines, form.header_line)
        if m.kind == "red":   # the new text the unit typed in red after the struck one: merged, named for the clerk
            out.messages.append(f"第{m.line}行「{column_name(m.column)}」中单位用红色标出的新内容“{_short(m.text)}”已合入。")
            continue
        if owner is None:
            out.messages.append(_file_message(m))
            continue
        row = by_line.get(m.line)
        value = row.values.get(m.column, "") if row is not None and m.line == owner else ""
        if m.kind == "comment" and m.column in ANSWERS and m.line == owner and (not value or SEE_COMMENT.match(value)):
            out.answers[(owner, m.column)] = (m.text, "answer-in-comment")
            out.messages.append(f"第{m.line}行「{column_name(m.column)}」{'为空' if not value else f'写的是“{value}”'}，"
                                f"答案在批注中：已取批注内容作为{column_name(m.column)}，请核对。")
        elif m.kind == "shape" and m.column in ANSWERS and m.line == owner and not value:
            out.answers[(owner, m.column)] = (m.text, "answer-in-text-box")
            out.messages.append(f"第{m.line}行「{column_name(m.column)}」为空，单位把内容写在了浮动文本框里："
                                f"已取文本框文字作为{column_name(m.column)}，请核对。")
        else:
            out.notes.setdefault(owner, []).append((_note(m), FLAGS[m.kind]))
            if m.kind == "comment":
                commented.append(f"第{m.line}行「{column_name(m.column)}」")
            elif m.kind == "struck":
                out.messages.append(f"第{m.line}行「{column_name(m.column)}」中有删除线标出的旧内容“{m.text}”：合并时只取"
                                    "未删除的文字，旧内容作为备注保存，请核对。")
            elif m.kind == "picture":
                out.messages.append(_picture(m) + "。")
            elif m.kind == "shape":
                out.messages.append(f"第{m.line}行旁有文本框，文字“{_short(m.text)}”"
                                    + ("已作为备注附在该行，请核对。" if form.form == "report" else "全文如下，请核对。"))
            elif m.kind == "outside":
                out.messages.append(f"表格内第{m.line}行有不属于任何栏目的文字“{_short(m.text)}”，"
                                    + (f"已作为备注附在第{owner}行的任务上，请核对。" if form.form == "report"
                                       else "全文如下，请核对。"))
        if m.kind in ("comment", "struck") and m.column:
            out.field_flags.setdefault((owner, m.column), []).append(FLAGS[m.kind])
    if commented:
        where = "已作为备注附在该行（见差异中的“备注”）" if form.form == "report" else "如下（未合入计划表）"
        out.messages.append(f"单位在{'、'.join(commented)}加了批注，批注内容{where}，请核对。")
    for r in form.rows:
        for f in ANSWERS:
            v = r.values.get(f, "")
            if v and SEE_ELSEWHERE.match(v) and (r.line, f) not in out.answers:
                pictured = any(m.kind == "picture" and m.line == r.line for m in form.marks)
                out.field_flags.setdefault((r.line, f), []).append("answer-elsewhere")
                out.messages.append(f"第{r.line}行「{column_name(f)}」只写了“{v}”，" + (
                    "内容在图片中（台账不保存图片），请在原文件中查看后补录或让单位改为文字。" if pictured else
                    "所指的内容不在表中（附件未随表报送），请向单位索取或在原邮件中查看。"))
    return out


def _owner(m: Mark, lines: list[int], header_line: int) -> int | None:
    """The task row a mark belongs to: its own row, else the nearest task above (below for one above the first)."""
    if m.kind == "footer" or m.line <= header_line or not lines:
        return None
    above = [n for n in lines if n <= m.line]
    return above[-1] if above else lines[0]


def _note(m: Mark) -> str:
    if m.kind == "comment":
        return f"批注（{column_name(m.column)}）：{m.text}"
    if m.kind == "struck":
        return f"{STRUCK}（{column_name(m.column)}）：{m.text}"
    if m.kind == "shape":
        return f"文本框：{m.text}"
    if m.kind == "picture":
        return f"（{_picture(m)}）"
    return f"（第{m.line}行，表格外的文字）{m.text}"


def _file_message(m: Mark) -> str:
    if m.kind == "skipped":
        return (f"文件中的批注或图形部件（{m.text}）大得异常（超过 {MAX_MARK_PART // 1024 // 1024} MB），未读取其中的文字；"
                "请在原文件中查看批注、文本框和图片。")
    where = f"第{m.line}行" if m.line else "表中"
    if m.kind == "picture":
        if m.line:
            return _picture(m) + "（不在任何任务行上）。"
        n = int(m.text) if m.text.isdigit() else 1
        return f"单位在表中附了图片{f'（{n}张）' if n > 1 else ''}，台账不保存图片，请在原文件中查看。"
    what = {"comment": "批注", "shape": "文本框", "struck": "删除线标出的旧内容"}.get(m.kind, "表格外的文字")
    return f"{where}有{what}（不属于任何任务行，未合入，原文照录）：{m.text}"


def _picture(m: Mark) -> str:
    n = int(m.text) if m.text.isdigit() else 1
    return PICTURE.format(line=m.line, count=f"（{n}张）" if n > 1 else "")


def _short(text: str, n: int = 40) -> str:
    return text if len(text) <= n else text[:n] + "…"


_MARKERS = ("批注（", STRUCK + "（", "文本框：", "（第", "（单位在第")
_NOTE_LINE = re.compile(r"^(批注|" + STRUCK + r")（([^）]*)）：(.*)$", re.S)


def split_note(note: str) -> tuple[dict[str, dict[str, list[str]]], list[str], list[str]]:
    """A staged 备注 read back for the review grid: ({field: {"comment"|"struck": [text]}}, picture notes, other lines)."""
    by_name = {v: k for k, v in COLUMN_NAMES.items()}
    fields: dict[str, dict[str, list[str]]] = {}
    pictures, rest = [], []
    last: list[str] | None = None   # the comment a following line continues (a comment of several lines, a reply)
    for line in (note or "").split("\n"):
        m = _NOTE_LINE.match(line)
        if m and m.group(2) in by_name:
            kind = "comment" if m.group(1) == "批注" else "struck"
            last = fields.setdefault(by_name[m.group(2)], {}).setdefault(kind, [])
            last.append(m.group(3))
        elif "附了图片" in line and line.startswith("（单位在第"):
            pictures.append(line.strip("（）"))
            last = None
        elif last is not None and line and not line.startswith(_MARKERS):
            last[-1] += "\n" + line
        elif line:
            rest.append(line)
            last = None
    return fields, pictures, rest


def printed_note(note: str) -> str:
    """A 备注 as printed for readers: without the struck-out old text (kept in the ledger and the audit) and without
    the clerk's reminder that a picture is in the original file."""
    fields, pictures, rest = split_note(note)
    lines = [line for line in (note or "").split("\n")
             if line and not line.startswith(STRUCK + "（") and line.strip("（）") not in pictures]
    return "\n".join(lines).strip()
