"""The 督办 page's month in display form, read in one go off the window's thread: every text and colour the window
shows, so its table models only look them up."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, TypedDict

from core.common.vocabulary import KIND_NAMES
from core.ledger.row_types import TaskRow
from core.tracking import states
from core.tracking.reminders import earlier_months_owed
from core.tracking.states import LIGHT_NAMES, STATE_COLORS, DashboardData, MatrixRow, late_units, shown_code
from core.tracking.status_view import late_counts

if TYPE_CHECKING:
    from core.common.work import Work
    from core.ledger.store import Ledger

# the task lights' colours (light → background)
LIGHT_COLORS = {"green": "#C8E6C9", "yellow": "#FFF59D", "red": "#FFCDD2", "blue": "#BBDEFB"}
EMPTY_CELL = "—"   # a unit with no form of that column


def period_label(form: str, period: str) -> str:
    return "计划表" if form == "plan" else f"{int(period[5:7])}月"


def latest_text(latest: list[dict]) -> str:
    """"牵头：是；配合：是、否" from each unit's latest answer (— when a unit has none yet)."""
    word = {True: "是", False: "否", None: "—"}
    lead = [word[x["on_track"]] for x in latest if x["role"] == "lead"]
    co = [word[x["on_track"]] for x in latest if x["role"] != "lead"]
    parts = []
    if lead:
        parts.append("牵头：" + "、".join(lead))
    if co:
        parts.append("配合：" + "、".join(co))
    return "；".join(parts)


def cell_tip(cell: MatrixRow) -> str:
    """A cell's tooltip (made when the pointer rests on it: one cell, not the whole grid in the read)."""
    tip = f"{cell['unit']} {period_label(cell['form'], cell['period'])}：{cell['state']}"
    if cell["due"]:
        tip += f"\n截止：{cell['due'].isoformat()}"
    if cell["received"]:
        tip += f"\n收到：{cell['received'].strftime('%Y-%m-%d %H:%M')}"
    if cell["file_name"]:
        tip += f"\n文件：{cell['file_name']}"
    return tip


@dataclass(frozen=True)
class MatrixGrid:
    """The unit × form × period matrix as the window shows it: row i is units[i]; column 0 the unit, then `columns`,
    then (when ranking is allowed) 逾期次数. texts/colours/codes[i][c] are what each cell shows."""
    units: list[tuple[int, str]]              # unit directory order (ids), never by counts
    columns: list[tuple[str, str]]            # (form, period): 计划表, then the months newest first
    cells: dict[tuple[int, str, str], MatrixRow]
    texts: list[list[str | int]]              # the late count is an int (sorts as a number)
    colours: list[list[str | None]]
    codes: list[list[str]]                    # shown_code, "" for no cell
    show_late_count: bool


def matrix_grid(matrix: list[MatrixRow], show_late_count: bool = True, keep: str | None = None) -> MatrixGrid:
    """`keep`: the month looked at, always a column; another month in which no form went out and none came back
    is no column (a new ledger's 1–3月 are not 未下发: no monthly form was due)."""
    used = {r["period"] for r in matrix if r["form"] == "plan" or r["dispatched"] or r["files"]}
    matrix = [r for r in matrix if r["form"] == "plan" or r["period"] in used or r["period"] == keep]
    seen: dict[int, str] = {}
    cols: dict[tuple[str, str], None] = {}
    cells: dict[tuple[int, str, str], MatrixRow] = {}
    for r in matrix:
        seen.setdefault(r["unit_id"], r["unit"])
        cols.setdefault((r["form"], r["period"]))
        cells[(r["unit_id"], r["form"], r["period"])] = r
    units = sorted(seen.items())
    late = late_counts(matrix)    # core's rule, the same as `status --late-count`
    plan = sorted(c for c in cols if c[0] == "plan")
    columns = plan + sorted((c for c in cols if c[0] != "plan"), key=lambda c: c[1], reverse=True)
    texts: list[list[str | int]] = []
    colours: list[list[str | None]] = []
    codes: list[list[str]] = []
    for uid, name in units:
        row = [cells.get((uid, form, period)) for form, period in columns]
        shown = [shown_code(c) if c else "" for c in row]
        line: list[str | int] = [name, *(c["state"] if c else EMPTY_CELL for c in row)]
        if show_late_count:
            line.append(late.get(uid, 0))
        texts.append(line)
        colours.append([None, *(STATE_COLORS[s] if s else None for s in shown)])
        codes.append(["", *shown])
    return MatrixGrid(units, columns, cells, texts, colours, codes, show_late_count)


class LightRow(TaskRow):
    """A task as the 任务亮灯 table shows it: its light, reasons, and each column's text."""
    light: str
    reasons: list[str]
    lead: str
    latest: str
    shown: tuple              # the seven columns' texts (序号 an int)
    colour: str               # the light's colour


def light_rows(tasks: list[TaskRow], lights: dict[int, dict]) -> list[LightRow]:
    """The year's tasks (序号 order) that have a light this month."""
    rows: list[LightRow] = []
    for t in tasks:
        light = lights.get(t["id"])
        if light is None:
            continue
        lead = "、".join(u["name"] for u in t["units"] if u["lead"])
        latest = latest_text(light.get("latest", []))
        shown = (LIGHT_NAMES[light["light"]], KIND_NAMES.get(t["kind"], t["kind"]), t["seq"], t["text"], lead, latest,
                 "；".join(light["reasons"]))
        rows.append(LightRow(**t, light=light["light"], reasons=light["reasons"], lead=lead, latest=latest,
                             shown=shown, colour=LIGHT_COLORS[light["light"]]))
    return rows


class Tile(TypedDict):
    value: str
    caption: str           # says which column of the table it counts ("3月未报已逾期")
    lines: list[str]       # who it counts, for its tooltip (往月仍未报 only)


@dataclass(frozen=True)
class DashboardView:
    """One month of the 督办 page, ready to show."""
    year: int
    period: str
    today: date
    cid: int
    no_ranking: bool
    data: DashboardData
    tiles: dict[str, Tile]     # the tiles' names → what they show
    grid: MatrixGrid
    tasks: list[LightRow]
    states: list[str]          # every state text in the matrix (the widest sets the columns' width)


def earlier_owed_tile(matrix: list[MatrixRow], period: str) -> Tile:
    """往月仍未报 N 家: units still owing a form of a month before the one shown (or the plan), as of today."""
    owed = [r for r in late_units(matrix) if r["form"] == "plan" or r["period"] < period]
    units = earlier_months_owed(owed, period) | {r["unit_id"] for r in owed if r["form"] == "plan"}
    lines = [f"{r['unit']}：{r['period'][:4]}年{'计划表' if r['form'] == 'plan' else str(int(r['period'][5:7])) + '月'}"
             f" {r['state']}" for r in owed]
    return Tile(value=str(len(units)), caption=f"往月仍未报 {len(units)} 家", lines=lines)


def dashboard_view(ledger: Ledger, year: int, period: str, today: date, work: Work | None = None
                   ) -> DashboardView | None:
    """Read `year`'s campaign for `period` as of `today` (None: the year has no campaign); `work` may cancel it."""
    from core.ledger import settings
    from core.ledger.page_reads import campaign_id_of
    from core.ledger.queries import list_tasks
    cid = campaign_id_of(ledger, year)
    if cid is None:
        return None
    no_ranking = settings.no_ranking(ledger)
    data = states.dashboard_data(ledger, cid, period, today)
    if work is not None:
        work.check()   # a newer request took its place: stop before the rest
    tasks = list_tasks(ledger, year)
    month = f"{int(period[5:7])}月"
    tiles = {name: Tile(value=str(value), caption=f"{month if name != '红灯任务' else ''}{name}", lines=[])
             for name, value in data["tiles"].items()}
    tiles["往月仍未报"] = earlier_owed_tile(data["matrix"], period)
    grid = matrix_grid(data["matrix"], show_late_count=not no_ranking, keep=period)
    return DashboardView(year=year, period=period, today=today, cid=cid, no_ranking=no_ranking, data=data,
                         tiles=tiles, grid=grid, tasks=light_rows(tasks, data["lights"]),
                         states=sorted({r["state"] for r in data["matrix"]}))
