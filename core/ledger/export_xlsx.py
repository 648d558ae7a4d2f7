"""The whole ledger as ONE .xlsx workbook a clerk can carry to another machine (every table, every text kept exactly)."""
from __future__ import annotations

import contextlib
import os
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import Boolean, Date, DateTime, Integer, inspect, select

from core.ledger import schema
from core.common.work import Work, given

FORMAT = "督查台账整本导出"
FORMAT_VERSION = 1
MAX_CELL = 32767          # Excel's limit on one cell; longer text continues in the 续写 sheet
EXTRA_SHEET = "续写"      # long text continued, and "" kept apart from empty (NULL) cells
INFO_SHEET = "说明"
# Excel's 1,048,576 rows less the two heading rows: a table longer than that (the audit and change rows of ten years
# at 630 units) continues on sheets named 「表名（续1）」, 「表名（续2）」… with the same heading rows; a row keeps its
# number across them (the 续写 sheet names rows so), sheet k holding rows 2 + k·SHEET_ROWS onwards
SHEET_ROWS = 1_048_574


def continued_name(name: str, k: int) -> str:
    """The k-th continuation sheet of sheet `name` (k = 0: the sheet itself)."""
    return name if k == 0 else f"{name}（续{k}）"[:31]

SHEET_NAMES = {
    "meta": "设置", "campaign": "立项批次", "leader": "领导", "unit": "单位", "unit_alias": "别名",
    "task": "任务", "task_leader": "牵头领导", "assignment": "分工", "stored_file": "收存文件",
    "dispatch": "下发", "dispatch_item": "下发明细", "submission": "报送", "plan_row": "计划",
    "progress_row": "进展", "change": "待审修改", "audit": "痕迹", "holiday_override": "节假日调整",
    "keyword_rule": "关键词规则", "merge_prior": "合并前状态",
}
LABELS = {
    "id": "编号", "uid": "任务标识", "year": "年度", "doc_no": "文号", "title": "标题", "name": "名称",
    "kind": "类别（key 重点任务 / livelihood 民生实事）", "seq": "序号", "area": "重点领域", "category": "类别",
    "text": "任务内容", "active": "有效", "closed_on": "办结日期", "closed_note": "办结说明",
    "short_name": "简称", "contact": "联系人", "phone": "电话", "email": "邮箱", "collective": "集合单位",
    "note": "备注", "alias": "别名", "unit_id": "单位编号", "task_id": "任务编号", "campaign_id": "批次编号",
    "leader_id": "领导编号", "role": "角色（lead 牵头 / co 配合）", "position": "顺序", "quarter": "季度",
    "period": "期间", "target": "目标", "owner": "主要负责人", "supervisor": "分管负责人", "remark": "备注",
    "quarter_target": "季度目标", "done": "完成情况", "problems": "存在问题", "next_steps": "下一步计划",
    "on_track": "是否完成阶段目标", "on_track_raw": "原填写", "submission_id": "报送编号", "field": "字段",
    "old": "原值", "new": "新值", "at": "时间", "batch": "批次", "table_name": "表", "row_key": "行",
    "source_kind": "来源类别", "source_ref": "来源", "status": "状态", "message": "说明", "form": "表式",
    "file_hash": "文件校验值", "file_name": "文件名", "hash": "校验值", "size": "大小", "key": "键", "value": "值",
    "sheet": "工作表", "clerk": "经办人", "existed": "合并前已有",
}


def sheet_name(table_name: str) -> str:
    return SHEET_NAMES.get(table_name, table_name)[:31]


def cell_text(value, col) -> str | None:
    """A column value as the text written in its cell (None = NULL, left empty)."""
    if value is None:
        return None
    if isinstance(col.type, Boolean):
        return "是" if value else "否"
    if isinstance(col.type, DateTime) and isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(col.type, Date) and isinstance(value, date):
        return value.isoformat()
    return str(value)


def files_folder(workbook: Path) -> Path:
    """Where an export's received files go: <workbook stem>-files/ab/<sha256> beside it (the file store's layout)."""
    return Path(workbook).with_name(Path(workbook).stem + "-files")


def export_ledger(ledger, out: Path, work: Work | None = None) -> dict:
    """Write every table to `out` (temp name, then renamed into place); returns {table: rows}."""
    import xlsxwriter

    work = given(work)
    out = Path(out)
    tmp = out.with_name(out.name + ".part")
    counts: dict[str, int] = {}
    wb = xlsxwriter.Workbook(str(tmp), {"strings_to_numbers": False, "strings_to_formulas": False,
                                        "strings_to_urls": False, "nan_inf_to_errors": True})
    try:
        head = wb.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True})
        info = wb.add_worksheet(INFO_SHEET)
        tables = list(schema.metadata.sorted_tables)
        sheets = {t.name: wb.add_worksheet(sheet_name(t.name)) for t in tables}
        extras = [wb.add_worksheet(EXTRA_SHEET)]
        for c, label in enumerate(["表", "行", "列", "类别", "序", "内容"]):
            extras[0].write_string(0, c, label, head)
        extra_row = 1

        def write_extra(values: list) -> None:   # one 续写 line; past Excel's last row, on 「续写（续k）」
            nonlocal extra_row
            k, at = divmod(extra_row - 1, SHEET_ROWS + 1)
            if k == len(extras):
                extras.append(wb.add_worksheet(continued_name(EXTRA_SHEET, k)))
                for c, label in enumerate(["表", "行", "列", "类别", "序", "内容"]):
                    extras[k].write_string(0, c, label, head)
            for c, v in enumerate(values):
                (extras[k].write_number if isinstance(v, int) else extras[k].write_string)(at + 1, c, v)
            extra_row += 1
        with ledger.read() as conn:
            found = inspect(conn)   # an older ledger exported before its migration lacks the newer columns
            present = {t: {c["name"] for c in found.get_columns(t)} for t in found.get_table_names()}
            version = conn.execute(select(schema.meta.c.value).where(schema.meta.c.key == "schema_version")).scalar()
            for n, table in enumerate(tables):
                work.step(n, len(tables), sheet_name(table.name))
                cols = [col for col in table.columns if col.name in present.get(table.name, ())]

                def headed(ws, cols=cols):
                    for c, col in enumerate(cols):
                        ws.write_string(0, c, LABELS.get(col.name, col.name), head)
                        ws.write_string(1, c, col.name)
                        ws.set_column(c, c, 40 if isinstance(col.type, schema.Text) else 14)
                    ws.set_row(1, None, None, {"hidden": True})
                    ws.freeze_panes(2, 0)
                    return ws
                parts = [headed(sheets[table.name])]
                order = [table.c[k.name] for k in table.primary_key.columns]
                r = 2   # the row's number across the table's sheets (what 续写 names)
                rows = conn.execute(select(*cols).order_by(*order)) if cols else []
                for row in rows:
                    k, at = divmod(r - 2, SHEET_ROWS)
                    if k == len(parts):
                        parts.append(headed(wb.add_worksheet(continued_name(sheet_name(table.name), k))))
                    ws, sheet_row = parts[k], at + 2
                    for c, col in enumerate(cols):
                        value = row[c]
                        if value is None:
                            continue
                        if isinstance(col.type, Integer) and not isinstance(col.type, Boolean) and isinstance(value, int):
                            ws.write_number(sheet_row, c, value)
                            continue
                        text = cell_text(value, col) or ""   # value is not None, so the text is a str
                        if text == "":
                            if col.nullable:
                                write_extra([table.name, r, col.name, "空串", 0, ""])
                            continue
                        ws.write_string(sheet_row, c, text[:MAX_CELL])
                        for part, start in enumerate(range(MAX_CELL, len(text), MAX_CELL), 1):
                            write_extra([table.name, r, col.name, "续", part, text[start:start + MAX_CELL]])
                    r += 1
                counts[table.name] = r - 2
        lines = [
            ("格式", FORMAT), ("格式版本", str(FORMAT_VERSION)), ("结构版本", str(version or "")),
            ("导出时间", datetime.now().isoformat(sep=" ", timespec="seconds")),
            ("台账", ledger.display_name if hasattr(ledger, "display_name") else Path(ledger.path).name),
            ("说明", "本工作簿包含整本台账。可在另一台电脑上用“从导出文件导入”（import-ledger）导入到空台账。"
                     "请勿修改第二行（隐藏的列名行）和工作表名称。超过一个单元格上限的长文本接在“续写”表中。"
                     "收到的原始文件不在本工作簿内：命令 export 把它们放在本工作簿旁的“-files”文件夹中，拷贝时请一并带上。"),
        ] + [(f"{sheet_name(t)}（行数）", str(n)) for t, n in counts.items()]
        for r, (label, line) in enumerate(lines):
            info.write_string(r, 0, label, head)
            info.write_string(r, 1, line)
        info.set_column(0, 0, 22)
        info.set_column(1, 1, 90)
        info.activate()
        wb.close()
    except BaseException:
        with contextlib.suppress(Exception):
            wb.close()
        tmp.unlink(missing_ok=True)
        raise
    os.replace(tmp, out)
    work.report(len(counts), len(counts), "完成")
    return counts
