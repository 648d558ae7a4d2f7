"""The hand-built .eml drafts parse back with the email package: Chinese subject, body and attachment names
intact, both file name conventions present (filename* and an encoded-word name=), CRLF lines within 78
characters, the attachment byte for byte."""
from __future__ import annotations

import email
from email import policy
from email.header import decode_header, make_header

import pytest

from core.office.eml_draft import write_eml_draft

BODY = ("区发展改革局：\n\n附件是贵单位的《2026年年度工作任务落实情况表（4月）》，已预填贵单位承担的任务。"
        "请填写完成情况、存在问题、下一步计划和是否完成阶段任务目标，于次月初5个工作日内回复本邮件报送。\n\n区政府办公室督查室\n")


@pytest.fixture()
def attachments(tmp_path):
    short = tmp_path / "01-发展改革局-落实情况表-2026年4月.xlsx"
    short.write_bytes(b"PK\x03\x04" + bytes(range(256)) * 40)
    long = tmp_path / ("12-区住房和城乡建设局（区人民防空办公室、区城市管理局）-落实计划表-"
                       "2026年第二季度按季度分行-第3版 修订稿.xlsx")
    long.write_bytes(b"PK\x03\x04" + b"\x00\xff" * 5000)
    return [short, long]


def _parse(path, which):
    return email.message_from_bytes(path.read_bytes(), policy=which)


@pytest.mark.parametrize("which", [policy.default, policy.compat32], ids=["default", "compat32"])
def test_parses_back_with_chinese_names(tmp_path, attachments, which):
    subject = "请报送《2026年年度工作任务落实情况表（4月）》（区住房和城乡建设局）——请于5个工作日内回复"
    out = write_eml_draft(tmp_path / "d.eml", "unit12@example.org", subject, BODY, attachments,
                          sender="督查室 <ducha@example.gov.cn>")
    msg = _parse(out, which)
    assert str(make_header(decode_header(msg["Subject"]))) == subject
    assert msg["To"] == "unit12@example.org"
    assert str(make_header(decode_header(msg["From"]))) == "督查室 <ducha@example.gov.cn>"
    assert msg["X-Unsent"] == "1"
    parts = list(msg.walk())[1:]
    assert parts[0].get_content_type() == "text/plain"
    assert parts[0].get_payload(decode=True).decode("utf-8").replace("\r\n", "\n") == BODY
    files = [p for p in parts if p.get_content_disposition() == "attachment"]
    assert [p.get_filename() for p in files] == [a.name for a in attachments]
    for part, src in zip(files, attachments, strict=True):
        assert part.get_payload(decode=True) == src.read_bytes()
        assert part.get_content_type() == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        # the Outlook convention: an encoded-word name= on Content-Type, decoded to the same name
        assert str(make_header(decode_header(part.get_param("name", header="content-type")))) == src.name


def test_both_filename_conventions_and_line_rules(tmp_path, attachments):
    out = write_eml_draft(tmp_path / "d.eml", "", "催报", BODY, attachments)
    raw = out.read_bytes()
    assert b"\n" not in raw.replace(b"\r\n", b"")           # CRLF only
    lines = [line for line in raw.split(b"\r\n") if not line.startswith(b"Content-Type: application/vnd.")]
    assert max(len(line) for line in lines) <= 78, max(lines, key=len)
    text = raw.decode("ascii")                               # everything encoded
    assert "filename*0*=utf-8''" in text and "filename*1*=" in text   # RFC 2231, continued
    assert 'name="=?utf-8?b?' in text                        # the encoded-word name= older Outlook reads
    assert not (tmp_path / "d.eml.part").exists()


def test_generated_draft_names_the_unit_form(tmp_path, attachments):
    """What generate writes: the subject and the attachment name read back through the default policy's API."""
    out = write_eml_draft(tmp_path / "g.eml", "a@b.cn", "请报送落实情况表（4月）", "请查收。", attachments[:1])
    msg = _parse(out, policy.default)
    assert msg["subject"] == "请报送落实情况表（4月）"
    (att,) = list(msg.iter_attachments())
    assert att.get_filename() == attachments[0].name
    assert att.get_content() == attachments[0].read_bytes()
