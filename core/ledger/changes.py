"""What a write changed in the ledger (areas, tasks, units, months) and who started it, so front ends refresh only that."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum


class Area(StrEnum):
    """The parts of the ledger a page may show; a change names the ones it touched."""
    CAMPAIGN = "campaign"        # 立项: years, tasks added or edited in bulk
    TASKS = "tasks"              # one task's fields (hand edits)
    UNITS = "units"              # unit directory, aliases, contacts
    DISPATCH = "dispatch"        # 下发 records
    RETURNS = "returns"          # submissions, their review and states (退回, 收到时间)
    PROGRESS = "progress"        # plan and progress rows (what merge writes)
    CLOSURE = "closure"          # 办结 / 撤销办结
    SETTINGS = "settings"        # ledger settings, holidays
    BACKUPS = "backups"          # backups taken or restored (a restore changes everything)


@dataclass(frozen=True)
class LedgerChange:
    """Empty `tasks`/`units`/`periods` mean "not narrowed": any task, unit or month in the named areas."""
    areas: frozenset[Area]
    tasks: frozenset[int] = field(default_factory=frozenset)
    units: frozenset[int] = field(default_factory=frozenset)
    periods: frozenset[str] = field(default_factory=frozenset)
    source: str = ""             # the page (PAGE_KEY) or command that made the change

    @classmethod
    def of(cls, *areas: Area, tasks: Iterable[int] = (), units: Iterable[int] = (), periods: Iterable[str] = (),
           source: str = "") -> LedgerChange:
        return cls(frozenset(areas), frozenset(tasks), frozenset(units), frozenset(periods), source)

    @classmethod
    def everything(cls, source: str = "") -> LedgerChange:
        return cls(frozenset(Area), source=source)

    def touches(self, shown: Iterable[Area]) -> bool:
        return bool(self.areas & set(shown))
