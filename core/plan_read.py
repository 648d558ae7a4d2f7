"""Reading a 立项表 from any file the office has: picks the reader by content, not by extension."""
from __future__ import annotations

from pathlib import Path

from .errors import UserError
from .plan_table import ParsedPlan
from .sniff import check_zip_limits, refuse_unreadable, sniff


def read_plan_file(path: Path | str) -> ParsedPlan:
    path = Path(path)
    if not path.exists():
        raise UserError(f"找不到文件“{path}”。请确认路径是否正确。")
    if path.is_dir():
        raise UserError(f"“{path.name}”是文件夹，请选择立项表文件。")
    kind = sniff(path)
    if kind in ("docx", "xlsx", "xlsm", "ods"):
        check_zip_limits(path)
    if kind == "docx":
        from .plan_read_docx import read_docx
        plan = read_docx(path)
    elif kind in ("xlsx", "xlsm"):
        from .plan_read_sheet import read_xlsx_rich
        plan = read_xlsx_rich(path)
    elif kind in ("xls", "ods"):
        from .plan_read_sheet import read_sheet_calamine
        plan = read_sheet_calamine(path)
    elif kind == "text":
        from .plan_read_sheet import read_text
        plan = read_text(path)
    else:
        refuse_unreadable(path, kind)
        raise UserError(f"文件“{path.name}”无法作为立项表读取。")
    if not plan.tasks:
        raise UserError(f"在“{path.name}”中没有找到立项表：需要表头含“序号”“重点任务（或民生实事内容）”“责任单位”的表格。"
                        f"请确认选的是立项表文件。")
    _check_sequences(plan)
    return plan


def _check_sequences(plan: ParsedPlan) -> None:
    for kind, label in (("key", "重点任务"), ("livelihood", "民生实事")):
        seqs = [t.seq for t in plan.of_kind(kind)]
        dupes = sorted({s for s in seqs if seqs.count(s) > 1})
        if dupes:
            raise UserError(f"{label}的序号重复：{'、'.join(map(str, dupes))}。请在立项表中改正序号后再导入。")
