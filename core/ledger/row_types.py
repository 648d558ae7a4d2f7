"""The shapes of the rows core hands to the window and the CLI, as TypedDicts (keys and types in one place)."""
from __future__ import annotations

from typing import TypedDict


class TaskUnit(TypedDict):
    name: str
    lead: bool              # 牵头 (True) or 配合


class TaskRow(TypedDict):
    """A task of a campaign, as `list_tasks` returns it (and `tasks --json` prints a part of it)."""
    id: int
    uid: str
    kind: str               # core.common.vocabulary.Kind
    seq: int
    area: str | None
    category: str | None
    text: str
    leaders: list[str]
    units: list[TaskUnit]   # 牵头 first, in the 立项表's order
    active: bool
    closed_on: str | None   # ISO date of 办结


class PublicTask(TypedDict):
    """`tasks --json`."""
    kind: str
    seq: int
    area: str | None
    category: str | None
    text: str
    leaders: list[str]
    units: list[TaskUnit]


class UnitRow(TypedDict):
    """A unit with its aliases, contacts and task counts, as `list_units` returns it (`units --json`)."""
    id: int
    name: str
    aliases: list[str]
    short_name: str | None
    contact: str | None
    phone: str | None
    email: str | None
    collective: bool
    tasks_lead: int
    tasks_co: int
