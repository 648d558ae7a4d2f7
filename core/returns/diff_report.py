"""Printable exports of a review: the difference report (rich text: deletions red struck, insertions green), a 退回 workbook."""
from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from core.common.vocabulary import SUBMISSION_STATUS_NAMES as STATUS_NAMES
from core.returns.collect import FIELD_NAMES, FLAG_NAMES
from core.common.errors import UserError
from core.returns.review import submission_detail
from core.common.text_diff import counts, diff_spans

DECISION_NAMES = {"pending": "待定", "accepted": "接受", "rejected": "不接受"}
KIND_PREFIX = {"key": "", "livelihood": "实事"}


def _seq(row: Mapping[str, Any]) -> str:
    return f"{KIND_PREFIX.get(row.get('kind') or '', '')}{row.get('seq') or ''}"


def _write_atomic(build, out: Path) -> Path:
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".part")
    try:
        build(tmp)
        tmp.replace(out)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise UserError(f"无法写入“{out}”：{exc.strerror or exc}。请关闭已打开的同名文件或换一个文件夹。") from exc
    return out


def table_formats(wb) -> tuple:
    """(title, header, body cell) formats the office's review sheets share: 宋体, bordered, wrapped, 10 pt body."""
    title = wb.add_format({"bold": True, "font_size": 16, "align": "center", "font_name": "宋体"})
    head = wb.add_format({"bold": True, "border": 1, "bg_color": "#DDDDDD", "align": "center", "valign": "vcenter",
                          "text_wrap": True, "font_name": "宋体"})
    cell = wb.add_format({"border": 1, "text_wrap": True, "valign": "top", "font_name": "宋体", "font_size": 10})
    return title, head, cell


def write_diff_report(ledger, submission_ids: list[int], out: Path) -> Path:
    """One sheet per file would be long to print; one sheet, grouped by file, landscape A4, header rows repeated."""
    import xlsxwriter
    details = [submission_detail(ledger, sid) for sid in submission_ids]

    def build(path: Path) -> None:
        wb = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_urls": False})
        ws = wb.add_worksheet("差异报告")
        title, head, cell = table_formats(wb)
        group = wb.add_format({"bold": True, "bg_color": "#F2F2F2", "border": 1, "font_name": "宋体"})
        deleted = wb.add_format({"font_color": "#C00000", "font_strikeout": True, "font_name": "宋体", "font_size": 10})
        inserted = wb.add_format({"font_color": "#007A33", "bold": True, "underline": 1, "font_name": "宋体",
                                  "font_size": 10})
        plain = wb.add_format({"font_name": "宋体", "font_size": 10})
        ws.set_landscape()
        ws.set_paper(9)
        ws.fit_to_pages(1, 0)
        ws.repeat_rows(2)
        ws.set_column(0, 0, 7)
        ws.set_column(1, 1, 30)
        ws.set_column(2, 2, 12)
        ws.set_column(3, 3, 55)
        ws.set_column(4, 5, 14)
        ws.merge_range(0, 0, 0, 5, "收文差异报告", title)
        ws.write_string(1, 0, "说明：红色删除线为删去的文字，绿色下划线为新增的文字。")
        for col, h in enumerate(["序号", "任务", "项目", "差异（原内容 → 新内容）", "提示", "审核"]):
            ws.write_string(2, col, h, head)
        r = 3
        for d in details:
            sub = d["submission"]
            n = sum(1 for row in d["rows"] for c in row["changes"] if c["old"] != c["new"] and not c["field"].startswith("_"))
            ins = sum(counts(c["old"], c["new"])[0] for row in d["rows"] for c in row["changes"])
            dele = sum(counts(c["old"], c["new"])[1] for row in d["rows"] for c in row["changes"])
            ws.merge_range(r, 0, r, 5, f"{d['unit'] or '未识别单位'}  {sub['period'] or ''}  文件：{sub['file_name']}  "
                                       f"（{STATUS_NAMES.get(sub['status'], sub['status'])}；{n} 处变化，"
                                       f"新增 {ins} 字，删去 {dele} 字）", group)
            r += 1
            for row in d["rows"]:
                for c in row["changes"]:
                    ws.write_string(r, 0, _seq(row) + (f" Q{row['quarter']}" if row.get("quarter") else ""), cell)
                    ws.write_string(r, 1, row.get("text") or "", cell)
                    ws.write_string(r, 2, FIELD_NAMES.get(c["field"], c["field"]), cell)
                    fragments = []
                    for op, text in diff_spans(c["old"], c["new"]):
                        fragments += [{"delete": deleted, "insert": inserted}.get(op, plain), text]
                    if len(fragments) >= 4:
                        ws.write_rich_string(r, 3, *fragments, cell)
                    elif fragments:
                        fmt = {deleted: wb.add_format({"border": 1, "text_wrap": True, "valign": "top",
                                                       "font_color": "#C00000", "font_strikeout": True}),
                               inserted: wb.add_format({"border": 1, "text_wrap": True, "valign": "top",
                                                        "font_color": "#007A33", "bold": True, "underline": 1})
                               }.get(fragments[0], cell)
                        ws.write_string(r, 3, fragments[1], fmt)
                    else:
                        ws.write_string(r, 3, "（空）", cell)
                    flags = "；".join(FLAG_NAMES.get(f, f) for f in (c["flags"] or "").split(",") if f)
                    ws.write_string(r, 4, flags, cell)
                    ws.write_string(r, 5, DECISION_NAMES.get(c["decision"], c["decision"])
                                    + (f"：{c['comment']}" if c["comment"] else ""), cell)
                    r += 1
        wb.close()

    return _write_atomic(build, out)
