"""The identity stamp a generated form carries, redundantly, so a returned file can be recognised.

Carriers (the 下发 generator writes all of them; the 收文 reader takes any that survived):
  1. custom document properties  DCTA_STAMP (compact string below) and DCTA_* per field
  2. a hidden sheet named STAMP_SHEET, cell A1 = STAMP_MAGIC, A2 = compact string
  3. a defined name STAMP_NAME whose value is the compact string as a text constant
  4. per row, a hidden key column: ROW_KEY_HEADER in the header, "task_uid:unit_id" in each row;
     in the 附件3 rows layout (quarters as rows) each of a task's four rows carries the quarter too:
     "task_uid:unit_id:Q1" … ":Q4" (row_key(uid, unit_id, quarter); parse_row_key_quarter reads it back)
The compact string: "dcta1;<year>;<form>;<period>;<unit_id>;<template_version>;<fingerprint>;<unit_name>"
(unit name last, so names containing ';' do not break parsing).
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass

from core.common.form_marks import (  # noqa: F401  (re-exported: the stamp's carriers are named there)
    PROPERTY_PREFIX, ROW_KEY_HEADER, STAMP_MAGIC, STAMP_NAME, STAMP_PREFIX, STAMP_SHEET)


@dataclass(frozen=True)
class Stamp:
    year: int
    form: str          # plan | report
    period: str        # "YYYY" for plan, "YYYY-MM" for report
    unit_id: int
    unit_name: str
    template_version: str
    fingerprint: str   # sha256[:16] of the pre-filled content

    def encode(self) -> str:
        return ";".join([STAMP_PREFIX, str(self.year), self.form, self.period, str(self.unit_id),
                         self.template_version, self.fingerprint, self.unit_name])

    @staticmethod
    def decode(text: str) -> Stamp | None:
        if not text or not str(text).startswith(STAMP_PREFIX + ";"):
            return None
        parts = str(text).split(";", 7)
        if len(parts) != 8:
            return None
        try:
            return Stamp(year=int(parts[1]), form=parts[2], period=parts[3], unit_id=int(parts[4]),
                         template_version=parts[5], fingerprint=parts[6], unit_name=parts[7])
        except ValueError:
            return None

    def properties(self) -> dict[str, str]:
        """Custom document properties (all text, so every office suite keeps them as strings)."""
        return {
            f"{PROPERTY_PREFIX}STAMP": self.encode(),
            f"{PROPERTY_PREFIX}YEAR": str(self.year),
            f"{PROPERTY_PREFIX}FORM": self.form,
            f"{PROPERTY_PREFIX}PERIOD": self.period,
            f"{PROPERTY_PREFIX}UNIT": self.unit_name,
            f"{PROPERTY_PREFIX}UNIT_ID": str(self.unit_id),
            f"{PROPERTY_PREFIX}TEMPLATE": self.template_version,
            f"{PROPERTY_PREFIX}FINGERPRINT": self.fingerprint,
        }


def row_key(task_uid: str, unit_id: int, quarter: int | None = None) -> str:
    """"uid:unit_id", or "uid:unit_id:Qn" for one quarter's row of a task (附件3, quarters as rows)."""
    return f"{task_uid}:{unit_id}" if quarter is None else f"{task_uid}:{unit_id}:Q{int(quarter)}"


def parse_row_key_quarter(text: str) -> tuple[str, int, int | None] | None:
    """(task_uid, unit_id, quarter or None) from a row key; None when the text is not a key."""
    try:
        parts = str(text).strip().split(":")
        quarter = None
        if len(parts) == 3 and parts[2][:1] in ("Q", "q") and parts[2][1:].isdigit():
            quarter = int(parts[2][1:])
            if not 1 <= quarter <= 4:
                return None
            parts = parts[:2]
        if len(parts) != 2 or not parts[0]:
            return None
        return parts[0], int(float(parts[1])), quarter
    except (ValueError, AttributeError):
        return None


def parse_row_key(text: str) -> tuple[str, int] | None:
    """(task_uid, unit_id) from "uid:unit_id" or "uid:unit_id:Qn" (the quarter is dropped)."""
    parsed = parse_row_key_quarter(text)
    return None if parsed is None else (parsed[0], parsed[1])


def fingerprint(rows: list[tuple]) -> str:
    """A short hash of the pre-filled cells, to tell later whether the unit changed them."""
    digest = hashlib.sha256()
    for row in rows:
        digest.update("\x1f".join("" if v is None else str(v) for v in row).encode("utf-8"))
        digest.update(b"\x1e")
    return digest.hexdigest()[:16]
