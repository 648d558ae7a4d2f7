"""收文 review grid shows what a unit put beside the values (issue 27): a comment beside the answer, struck text struck,
a picture note — on a file LibreOffice wrote; the window at 1366×768 is saved to docs/ when DUCHA_SHOTS is set."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from core.returns.collect import collect
from tests.helpers import returns as rh
from tests.helpers import returns_messy as mx
from tests.helpers import returns_outside as ro
from tests.helpers.tasks import open_window
from tests.helpers.collect import wait_list

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.skipif(ro.uno_python() is None, reason="LibreOffice with python3-uno is needed")
def test_grid_shows_comment_struck_figure_and_picture(qtbot, ledger_2026, tmp_path):
    from ui.pages.collect.review_grid_model import HTML_ROLE
    [f] = rh.generate_forms(ledger_2026, "report", "2026-04", tmp_path / "out", unit_names=["区发展改革局"])
    form = Path(f["path"])
    answers = mx.answers(form, length=150)
    keys = list(answers)
    filled = rh.fill(form, tmp_path / "typed.xlsx", answers)
    old, new = "累计完成投资3.2亿元。", "累计完成投资4.1亿元，超序时进度3个百分点。"
    remark = "4月数据为快报数，以区统计局5月10日发布为准。"
    ops = [{"op": "strike", "cell": ro.cell_of(filled, keys[0], "done"), "old": old, "new": new},
           {"op": "comment", "cell": ro.cell_of(filled, keys[0], "done"), "text": remark},
           {"op": "picture", "cell": ro.cell_of(filled, keys[0], "problems"), "png": str(ro.png(tmp_path / "p.png"))}]
    out = ro.lo_annotate(filled, tmp_path / "发改局4月.xlsx", ops)
    [res] = collect(ledger_2026, [out])
    assert res["status"] == "staged", res
    window = open_window(qtbot, ledger_2026)
    window.resize(1366, 768)
    page = window.show_page("collect")
    page.refresh()
    wait_list(qtbot, page)
    assert page.select_submission(res["submission_id"])
    model = page.grid_panel.model
    first = model.row_at(0)
    task = model.data(model.index(0, 0), HTML_ROLE)
    done_col = 1 + [c.field for c in first.cells].index("done")
    done = model.data(model.index(0, done_col), HTML_ROLE)
    assert new in done and f'line-through;color:#c00000">{old}' in done   # struck text struck, beside the answer
    assert f"批注：{remark}" in done                                    # the comment beside the answer
    line = int(ro.cell_of(out, keys[0], "done")[1:])
    assert f"单位在第{line}行附了图片，台账不保存图片，请在原文件中查看" in task
    if os.environ.get("DUCHA_SHOTS"):
        window.setFixedSize(1366, 768)
        page.grid_panel.view.setCurrentIndex(model.index(1, 0))   # the row itself unselected, as the clerk reads it
        qtbot.wait(300)
        shot = tmp_path / "review-grid-marks.png"
        window.grab().save(str(shot))
        shutil.copyfile(shot, ROOT / "docs" / "review-grid-marks.png")


def test_confirm_dialog_lets_the_clerk_pick_the_sheet(qtbot, ledger_2026, tmp_path):
    from sqlalchemy import select

    from core.ledger import schema
    from core.returns.collect import form_sheets
    from ui.pages.collect.confirm_dialog import ConfirmDialog
    [f] = rh.generate_forms(ledger_2026, "report", "2026-04", tmp_path / "out", unit_names=["区发展改革局"])
    answers = mx.answers(Path(f["path"]), length=150)
    filled = rh.fill(Path(f["path"]), tmp_path / "typed.xlsx", answers)
    retyped = rh.strip_stamp(filled, tmp_path / "retyped.xlsx")
    book = ro.highlights_in_front(retyped, tmp_path / "发改局4月.xlsx", form_title="4月")
    [res] = collect(ledger_2026, [book])
    assert res["status"] == "needs-confirmation"
    sheets, chosen = form_sheets(ledger_2026, res["submission_id"])
    assert sheets == ["亮点工作", "4月"] and chosen == "4月"
    with ledger_2026.read() as conn:
        uid = conn.execute(select(schema.unit.c.id).where(schema.unit.c.name == "区发展改革局")).scalar_one()
    dialog = ConfirmDialog(None, [(uid, "区发展改革局")], uid, "report", "2026-04", res["message"], sheets, chosen)
    qtbot.addWidget(dialog)
    assert dialog.values() == (uid, "report", "2026-04", "4月")
    dialog.sheet_combo.setCurrentIndex(dialog.sheet_combo.findData("亮点工作"))
    assert dialog.values()[3] == "亮点工作"
    window = open_window(qtbot, ledger_2026)
    page = window.show_page("collect")
    page.refresh()
    wait_list(qtbot, page)
    assert page.select_submission(res["submission_id"])
    assert page.open_confirm(values=(uid, "report", "2026-04", "4月"))["status"] == "staged"
