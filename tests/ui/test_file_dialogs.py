"""Issue 29 point 6: the file dialogs open in 文档 or the folder last used for that kind of file (never the program's
own folder or the home folder), and Qt's own parts of them are Chinese (the 类型 column, dates as 2026/12/5)."""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys

from tests.conftest import FIXTURE_DOCX, ROOT

PROBE = ROOT / "tests" / "helpers" / "file_dialog_probe.py"


def test_dialogs_start_in_documents_then_the_last_folder_and_speak_chinese(ledger_2026, tmp_path):
    documents = tmp_path / "文档"
    inbox = documents / "收件"     # a folder in 文档, whose 类型 and 修改日期 the dialog shows
    inbox.mkdir(parents=True)
    shutil.copy(FIXTURE_DOCX, inbox / "立项表.docx")
    env = dict(os.environ, LANG="C.UTF-8", XDG_DOCUMENTS_DIR=str(documents), XDG_CONFIG_HOME=str(tmp_path / "config"),
               XDG_DATA_HOME=str(tmp_path / "data"), QT_QPA_PLATFORM="offscreen")
    env.pop("LC_ALL", None)
    out = subprocess.run([sys.executable, str(PROBE), str(ledger_2026.path), str(inbox)], cwd=ROOT,
                         env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    seen = json.loads(out.stdout.strip().splitlines()[-1])
    assert [s["title"] for s in seen] == ["选择立项表", "选择立项表", "选择通讯录"]
    assert seen[0]["folder"] == str(documents)            # 文档, not the program's folder
    name, _size, kind, modified = seen[0]["row"]
    assert name == "收件" and kind == "文件夹", seen[0]
    assert re.fullmatch(r"\d{4}/\d{1,2}/\d{1,2} \d{1,2}:\d{2}", modified), modified   # not "5 12 2026"
    assert seen[1]["folder"] == str(inbox)    # where the last 立项表 came from
    assert seen[2]["folder"] == str(documents)            # 通讯录: a kind of its own
