"""Build tests/data/ledger-v1/ledger-v1.sqlite3: a ledger written by the version-1 code (schema_version 1, before
submission.sheet). Run it with the code of commit da86044 (the last commit before schema v2), e.g.:

    git worktree add --detach /tmp/v1 da86044
    PYTHONPATH=/tmp/v1 python tests/data/ledger-v1/make_v1_ledger.py /tmp/v1 tests/data/ledger-v1

It imports the 2026 立项表 and contacts, sends 附件4 for March to three units, has them fill it (完成情况 120–400
characters, 一是/二是/三是), collects and merges the three returns, sends one back (退回) and marks 民生实事 1 办结.
"""
from __future__ import annotations

import shutil
import sys
import tempfile
from datetime import datetime
from pathlib import Path

UNITS = ["区发展改革局", "区民政局", "区财政局"]
DONE = ("一是{u}牵头召开专题推进会，对照年度目标逐项分解任务，明确时间节点和责任人；二是会同相关部门开展实地督导，"
        "对进度滞后的环节建立台账、限期整改，目前已完成季度计划的百分之八十五；三是建立周调度、月通报机制，"
        "及时协调解决资金、用地等方面的问题，确保各项工作按计划有序推进，群众满意度持续提升。")


def main(code: Path, out_dir: Path) -> Path:
    sys.path.insert(0, str(code))
    from core.campaign.importing import apply_import, file_ref, preview_import
    from core.campaign.read import read_plan_file
    from core.demo.workbooks import fill
    from core.forms.generate import generate
    from core.ledger import migrations
    from core.ledger.queries import list_tasks
    from core.ledger.store import Ledger
    from core.returns.collect import collect
    from core.returns.merge import merge
    from core.returns.review import accept_all_staged
    from core.tracking.closure import close_task
    from core.tracking.states import mark_returned
    from core.units.contacts_import import apply_contacts, read_contacts
    assert migrations.SCHEMA_VERSION == 1, f"run with the version-1 code, not schema {migrations.SCHEMA_VERSION}"

    demo = code / "resources" / "demo"
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / "ledger-v1.sqlite3"
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        led = Ledger(work / "ledger-v1.sqlite3")
        plan = demo / "2026-立项表.docx"
        apply_import(led, preview_import(led, read_plan_file(plan), None, file_ref(plan)))
        apply_contacts(led, read_contacts(demo / "2026-单位通讯录.xlsx"), "contacts")
        forms = generate(led, "report", "2026-03", work / "out", unit_names=UNITS, with_eml=False)
        filled = []
        for f in forms:
            def answer(_key, _role, u=f["unit"]):
                return {"done": DONE.format(u=u), "problems": "暂无", "next_steps": "继续按计划推进。", "on_track": "是"}
            filled.append(fill(Path(f["path"]), work / "in" / f"{f['unit']}.xlsx", answer, "report",
                               filled_on=datetime(2026, 4, 3)))
        results = collect(led, filled)
        accept_all_staged(led)
        merge(led, [r["submission_id"] for r in results])
        mark_returned(led, results[-1]["submission_id"], "请补充数据")
        task = next(t for t in list_tasks(led) if t["kind"] == "livelihood" and t["seq"] == 1)
        close_task(led, task["id"], "2026-04-10", "项目已建成并投入使用。")
        target.unlink(missing_ok=True)
        led.backup_to(target)          # one self-contained file (no -wal beside it)
        led.close()
        store = work / "ledger-v1-files"
        if store.exists():
            shutil.rmtree(out_dir / "ledger-v1-files", ignore_errors=True)
            shutil.copytree(store, out_dir / "ledger-v1-files")
    return target


if __name__ == "__main__":
    print(main(Path(sys.argv[1]), Path(sys.argv[2])))
