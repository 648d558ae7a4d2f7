"""What a 立项表 holds once read, whatever the file: tasks with area, category, leaders and units (lead flags)."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class ParsedUnit:
    name: str
    lead: bool


@dataclass
class ParsedTask:
    kind: str  # key | livelihood
    seq: int
    text: str
    area: str = ""
    category: str = ""
    leaders: list[str] = field(default_factory=list)
    units: list[ParsedUnit] = field(default_factory=list)
    table: str = ""  # which table of the file it came from (TableReading.where)

    def as_json(self) -> dict:
        return {
            "kind": self.kind, "seq": self.seq, "area": self.area, "category": self.category,
            "text": self.text, "leaders": list(self.leaders),
            "units": [{"name": u.name, "lead": u.lead} for u in self.units],
        }


@dataclass
class ParsedPlan:
    tasks: list[ParsedTask] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    year: int | None = None
    title: str = ""
    source_name: str = ""
    readings: list = field(default_factory=list)  # TableReading per table found: which was read as which

    def of_kind(self, kind: str) -> list[ParsedTask]:
        return [t for t in self.tasks if t.kind == kind]


# Header labels, matched after removing spaces; first match wins.
TEXT_LABELS_KEY = ("重点任务", "主要任务", "主要工作目标任务", "工作任务", "任务内容")
TEXT_LABELS_LIVELIHOOD = ("民生实事内容", "民生实事项目", "民生实事", "项目内容")
SEQ_LABELS = ("序号", "编号")
AREA_LABELS = ("重点领域", "领域")
CATEGORY_LABELS = ("类别",)
LEADER_LABELS = ("牵头领导", "分管领导", "责任领导", "牵头区领导")
UNIT_LABELS = ("责任单位", "责任部门", "承办单位")


def classify_header(cells: list[str]) -> dict | None:
    """Map column index → field for a header row, or None when the row is not a header."""
    from core.common.textnorm import squash
    from core.campaign.which_table import kind_of_text
    mapping: dict[str, int] = {}
    kind = None
    for idx, raw in enumerate(cells):
        label = squash(raw)
        if not label:
            continue
        def starts(labels, label: str = label) -> bool:
            return any(label.startswith(prefix) for prefix in labels)
        if "text" not in mapping and starts(TEXT_LABELS_LIVELIHOOD):
            mapping["text"], kind = idx, "livelihood"
        elif "text" not in mapping and starts(TEXT_LABELS_KEY):
            mapping["text"], kind = idx, "key"
        elif "text" not in mapping and not starts(UNIT_LABELS + LEADER_LABELS) and kind_of_text(label):
            # “12100”民生工程, 为民办20件实事, 2023年度工作任务 …: the year's own words for the text column
            mapping["text"], kind = idx, kind_of_text(label)
        elif "seq" not in mapping and label in SEQ_LABELS:
            mapping["seq"] = idx
        elif "area" not in mapping and starts(AREA_LABELS):
            mapping["area"] = idx
        elif "category" not in mapping and label in CATEGORY_LABELS:
            mapping["category"] = idx
        elif "leaders" not in mapping and starts(LEADER_LABELS):
            mapping["leaders"] = idx
        elif "lead_units" not in mapping and label.startswith("牵头单位"):
            mapping["lead_units"] = idx
        elif "co_units" not in mapping and (label.startswith("配合单位") or label.startswith("协办单位")):
            mapping["co_units"] = idx
        elif "units" not in mapping and starts(UNIT_LABELS):
            mapping["units"] = idx
        elif "kind" not in mapping and label in ("类型", "任务类型", "kind"):
            mapping["kind"] = idx
    if "text" in mapping and ("units" in mapping or "lead_units" in mapping):
        return {"columns": mapping, "kind": kind}
    return None
