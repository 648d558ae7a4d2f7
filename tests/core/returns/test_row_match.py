"""Row matching on its own (core.returns.row_match): a returned form's rows against the unit's tasks, by hidden key
and task text together, else by 序号 and fuzzy text; inserted rows become notes, other units' rows are told apart."""
from __future__ import annotations

from core.forms.stamp import row_key
from core.returns.read import FormRow
from core.returns.row_match import Expected, match_rows

UNIT = 7
TASKS = [
    Expected(101, "T2026K001", "key", 1, "深入实施创新驱动发展战略，新培育国家级高新技术企业30家以上，研发投入强度达到2.8%"),
    Expected(102, "T2026K002", "key", 2, "加快建设现代化产业体系，推进制造业数字化转型，新增规模以上工业企业20家"),
    Expected(103, "T2026K003", "key", 3, "全面推进乡村振兴，建设高标准农田5万亩，发展壮大村级集体经济"),
]
DONE = ("一是召开专题推进会，对照年度目标逐项分解任务，明确时间节点和责任人；二是会同相关部门开展实地督导，"
        "对进度滞后的环节建立台账、限期整改，已完成季度计划的百分之八十五；三是建立周调度、月通报机制，"
        "及时协调解决资金、用地等方面的问题，确保各项工作按计划有序推进。")


def _row(line: int, task: Expected | None, text: str | None = None, key: str | None = None, **values) -> FormRow:
    v = {"seq": str(task.seq) if task else "", "task": text if text is not None else (task.text if task else "")}
    v.update(values)
    return FormRow(line=line, values=v, key=row_key(task.uid, UNIT) if key is None and task else (key or ""))


def test_keyed_rows_match_their_tasks_by_key():
    rows = [_row(5 + n, t, done=DONE, on_track="是") for n, t in enumerate(TASKS)]
    result = match_rows(rows, TASKS, own_unit=UNIT)
    assert [(m.task.task_id, m.by) for m in result.matched] == [(101, "key"), (102, "key"), (103, "key")]
    assert result.missing == [] and result.notes == {} and result.foreign_keys == []


def test_rows_sorted_by_the_unit_follow_their_text_not_the_key_column():
    """The unit sorted the task texts but not the hidden key column: the answers go with the text."""
    a, b, c = TASKS
    rows = [_row(5, a, text=c.text, done="乡村振兴：" + DONE), _row(6, b, done=DONE),
            _row(7, c, text=a.text, done="创新：" + DONE)]
    result = match_rows(rows, TASKS, own_unit=UNIT)
    got = {m.task.task_id: (m.row.line, m.by) for m in result.matched}
    assert got == {103: (5, "moved"), 102: (6, "key"), 101: (7, "moved")}


def test_rows_without_keys_match_by_seq_and_fuzzy_text():
    """A unit retyped the table: no hidden keys, 序号 kept, task texts shortened."""
    rows = [FormRow(line=5, values={"seq": "2", "task": "加快建设现代化产业体系，推进制造业数字化转型", "done": DONE}),
            FormRow(line=6, values={"seq": "1", "task": "深入实施创新驱动发展战略，新培育国家级高新技术企业", "done": DONE})]
    result = match_rows(rows, TASKS, own_unit=UNIT)
    assert {m.task.task_id: (m.row.line, m.by) for m in result.matched} == {102: (5, "text"), 101: (6, "text")}
    assert [t.task_id for t in result.missing] == [103]
    assert all(m.text_changed for m in result.matched)   # the shortened texts are reported as text changes


def test_an_inserted_row_becomes_a_note_on_the_task_above():
    a, b, c = TASKS
    rows = [_row(5, a, done=DONE), FormRow(line=6, values={"task": "", "done": "另：已协调落实配套资金1200万元。"}),
            _row(7, b, done=DONE), _row(8, c, done=DONE)]
    result = match_rows(rows, TASKS, own_unit=UNIT)
    assert len(result.matched) == 3
    assert result.notes == {101: ["（第6行，单位插入）另：已协调落实配套资金1200万元。"]}


def test_another_units_rows_are_foreign_and_an_emptied_row_is_missing():
    a, b, c = TASKS
    other = row_key("T2026K050", UNIT + 1)                 # another unit's task and row (copied in from its form)
    rows = [_row(5, a, done=DONE), _row(6, None, text="持续优化营商环境，深化“一网通办”改革，企业开办时间压缩至1个工作日",
                                         key=other, done=DONE),
            FormRow(line=7, values={"seq": "", "task": ""}, key=row_key(c.uid, UNIT))]   # cells deleted, key left
    result = match_rows(rows, TASKS, own_unit=UNIT)
    assert [m.task.task_id for m in result.matched] == [101]   # the foreign row's text names none of ours
    assert result.foreign_keys == [other] and result.foreign_units == {UNIT + 1}
    assert sorted(t.task_id for t in result.missing) == [102, 103]


def test_lead_unit_may_fill_its_co_units_rows():
    """牵头单位汇总: the lead returns the co-unit's row of a shared task; it counts for the co-unit, not as foreign."""
    a = TASKS[0]
    co = UNIT + 1
    rows = [_row(5, a, done=DONE), _row(6, a, key=row_key(a.uid, co), done="配合单位：" + DONE)]
    result = match_rows(rows, TASKS[:1], own_unit=UNIT, co_units={a.task_id: {co}})
    assert sorted((m.task.task_id, m.unit_id) for m in result.matched) == [(101, UNIT), (101, co)]
    assert result.foreign_keys == []
