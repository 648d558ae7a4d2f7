"""Rebuild the password-protected workbooks here with LibreOffice (run with a python that has `uno`, e.g. /usr/bin/python3)."""
# Usage: /usr/bin/python3 tests/data/encrypted/make_encrypted.py
# Writes 加密-附件4.xlsx / .xls / .ods, each opened with the password "abc123", from a plain 附件4-style sheet.
import os
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import uno
from com.sun.star.beans import NamedValue, PropertyValue

HERE = Path(__file__).resolve().parent
PASSWORD = "abc123"
ROWS = [["2026年年度工作任务落实情况表（4月）"], ["填报单位：区民政局"],
        ["序号", "《政府工作报告》重点任务、民生实事项目", "季度计划完成目标", "完成情况", "存在问题", "下一步计划",
         "是否完成阶段任务目标"],
        ["1", "完善养老服务体系", "完成2处社区养老服务站建设", "一是完成选址论证；二是完成招标；三是已开工建设", "无",
         "加快施工", "是"]]
FILTERS = {"xlsx": "Calc MS Excel 2007 XML", "xls": "MS Excel 97", "ods": "calc8"}


def prop(name, value):
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p


def main() -> None:
    profile = Path(tempfile.mkdtemp(prefix="lo-enc-"))
    port = 2202
    proc = subprocess.Popen(["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
                             "--invisible", f"--accept=socket,host=127.0.0.1,port={port};urp;"],
                            env={**os.environ, "HOME": str(profile)})
    try:
        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
        for _ in range(60):
            try:
                ctx = resolver.resolve(f"uno:socket,host=127.0.0.1,port={port};urp;StarOffice.ComponentContext")
                break
            except Exception:  # noqa: BLE001 - soffice still starting
                time.sleep(0.5)
        else:
            sys.exit("soffice did not start")
        desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
        doc = desktop.loadComponentFromURL("private:factory/scalc", "_blank", 0, (prop("Hidden", True),))
        sheet = doc.Sheets.getByIndex(0)
        for r, row in enumerate(ROWS):
            for c, value in enumerate(row):
                sheet.getCellByPosition(c, r).setString(value)
        for ext, filt in FILTERS.items():
            target = HERE / f"加密-附件4.{ext}"
            args = [prop("FilterName", filt), prop("Password", PASSWORD)]
            if ext == "xlsx":   # the OOXML filter encrypts (Agile, in a CFB container) from EncryptionData
                secret = NamedValue()
                secret.Name, secret.Value = "OOXPassword", PASSWORD
                crypto = NamedValue()
                crypto.Name, crypto.Value = "CryptoType", "Standard"
                args = [prop("FilterName", filt), prop("Password", PASSWORD),
                        prop("EncryptionData", uno.Any("[]com.sun.star.beans.NamedValue", (secret, crypto)))]
            uno.invoke(doc, "storeToURL", (target.as_uri(), tuple(args)))
        doc.close(True)
    finally:
        proc.terminate()
        proc.wait(30)
        shutil.rmtree(profile, ignore_errors=True)
    for ext in FILTERS:
        path = HERE / f"加密-附件4.{ext}"
        head = path.read_bytes()[:8]
        print(path.name, path.stat().st_size, head.hex())
        if ext == "ods":
            with zipfile.ZipFile(path) as zf:
                assert b"encryption-data" in zf.read("META-INF/manifest.xml")


if __name__ == "__main__":
    main()
