"""Returned 附件4 with what units put beside the form: a sheet of their own in front, a renamed form sheet."""
from __future__ import annotations

from pathlib import Path

import openpyxl

from tests.helpers import returns as rh

HIGHLIGHTS = [("1", "打造“一站式”政务服务综合体",
                "4月新增进驻事项126项，群众办事平均跑动次数由1.8次降至0.6次，经验被市政务办刊发推广。"),
              ("2", "园区“标准地+承诺制”改革", "完成3宗工业用地“拿地即开工”，从摘牌到开工平均用时缩短至12个工作日。")]


def highlights_in_front(src: Path, dst: Path, form_title: str = "4月") -> Path:
    """The unit adds a “亮点工作” sheet with its own 序号/重点任务/进展情况 table in front of the form and renames
    the form sheet (its key column stays with it)."""
    wb = openpyxl.load_workbook(src)
    form = rh.data_sheet(wb)
    form.title = form_title
    ws = wb.create_sheet("亮点工作", index=0)
    ws.append(["2026年4月亮点工作"])
    ws.append(["序号", "重点任务", "进展情况"])
    for row in HIGHLIGHTS:
        ws.append(list(row))
    wb.active = 0
    wb.save(dst)
    return Path(dst)
