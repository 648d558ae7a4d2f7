"""What a write changed in the ledger (areas, tasks, units, months) and who started it, so front ends refresh only that."""
from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Generic, TypeVar


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

    def __or__(self, other: LedgerChange) -> LedgerChange:
        """Both changes in one; a side not narrowed (empty) leaves the whole not narrowed."""
        def both(a: frozenset, b: frozenset) -> frozenset:
            return a | b if a and b else frozenset()
        return LedgerChange(self.areas | other.areas, both(self.tasks, other.tasks), both(self.units, other.units),
                            both(self.periods, other.periods), self.source or other.source)


T = TypeVar("T")
R = TypeVar("R")


@dataclass(frozen=True, kw_only=True)
class Written:
    """What a core write used by a front end returns: its result and the change it made (`change`).

    The window's `LedgerOp`/`write_now` take the change from here and announce it; pages never declare one."""
    change: LedgerChange


@dataclass(frozen=True)
class Changed(Written, Generic[T]):
    """A write's one result (a count, a path, a summary) with the change it made."""
    value: T


@dataclass(frozen=True)
class ChangedRows(Written, Sequence[R]):
    """A write's result rows (one per file read or written), in order, with the change the whole write made."""
    rows: tuple[R, ...]

    def __getitem__(self, index):   # type: ignore[override]
        return self.rows[index]

    def __len__(self) -> int:
        return len(self.rows)

    def __iter__(self) -> Iterator[R]:
        return iter(self.rows)

    def __add__(self, other: Sequence[R]) -> list[R]:
        """The rows of two writes (or a write and a list), in order: the rows alone, no change."""
        return [*self.rows, *other]

    def __radd__(self, other: Sequence[R]) -> list[R]:
        return [*other, *self.rows]
