"""Earlier years' 立项表 from PDF-extracted notices (2023, 2025) as history for suggestions."""
from __future__ import annotations


import pytest

from tests.conftest import HISTORY_TXT
from tests.helpers.draft import expected



@pytest.mark.parametrize("year, at_least", [(2025, 100), (2023, 100)])
def test_notice_tables_parsed_from_broken_lines(year, at_least):
    from core.draft.history import load_history_file
    tasks = load_history_file(HISTORY_TXT[year])
    assert len(tasks) >= at_least
    assert {t.year for t in tasks} == {year}
    assert all(t.units and t.units[0]["lead"] for t in tasks)
    first = tasks[0]
    assert first.text.startswith("地区生产总值增长") and first.units[0]["name"] == "区发展改革局"
    # units broken over lines are joined back: no fragment like “局” or “中分局” alone
    names = {u["name"] for t in tasks for u in t.units}
    assert not any(len(n) < 3 for n in names)
    assert "“" in "".join(t.text for t in tasks)             # ‚…‛ from the PDF turned back into quotes


def test_2025_2023_history_suggests_2026_lead_units():
    """Cross-year: the two earlier notices as history + general rules → the 2026 lead unit in the top 3 for ≥80%."""
    from core.draft.history import load_history_file
    from core.draft.suggest import SuggestIndex, shipped_rules
    past = (load_history_file(HISTORY_TXT[2025])
            + load_history_file(HISTORY_TXT[2023]))
    data = expected()
    directory = sorted({u["name"] for t in data["tasks"] + data["projects"] for u in t["units"]})
    index = SuggestIndex(past, shipped_rules(), directory)
    hits = sum(bool({u["name"] for u in t["units"] if u["lead"]} & set(index.suggest(t["text"]).lead_names(3)))
               for t in data["tasks"])
    assert hits / len(data["tasks"]) >= 0.80


def test_word_table_as_history_and_refusals(tmp_path):
    from core.draft.history import load_history_file
    from core.common.errors import UserError
    from tests.conftest import FIXTURE_DOCX
    tasks = load_history_file(FIXTURE_DOCX)
    assert len(tasks) == 118 and tasks[0].year == 2026
    other = tmp_path / "其他.txt"
    other.write_text("没有表格的文字", encoding="utf-8")
    with pytest.raises(UserError, match="附件1"):
        load_history_file(other)
