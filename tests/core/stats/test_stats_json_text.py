"""The CLI's JSON text (cli._json.dumps_indented, what `stats --json` and every other `--json` print) is byte for
byte json.dumps(…, ensure_ascii=False, indent=1, default=…): on odd values, on random documents and on a whole
`stats --json` document of the test ledger."""
from __future__ import annotations

import enum
import json
import math
import random
from datetime import date, datetime

import pytest

from cli._json import dumps_indented
from cli._output import _default
from core.stats.report import as_json, year_stats

TODAY = date(2026, 12, 6)


class Colour(enum.StrEnum):
    RED = "red"


class Rank(enum.IntEnum):
    FIRST = 1


def _std(value) -> str:
    return json.dumps(value, ensure_ascii=False, indent=1, default=_default)


ODD = [
    None, True, False, 0, -7, 2 ** 70, 1.5, -0.0, 1e300, float("nan"), float("inf"), -float("inf"), "", "单位",
    'quote " back \\ slash', "line\nbreak\ttab\x00\x1f", "\u2028\ud800", "},\n {", "]", [], {}, [[]], [{}], {"a": {}},
    {"a": []}, (1, 2), [(), ()], {1: "int key", 2.5: "float key", None: "n"}, {True: "t"}, {False: [1, {"x": None}]},
    {"x": float("nan"), "y": [float("inf")]}, [1, "a", None, True, 0.1], {"k": (1, "2")},
    {"when": date(2026, 3, 5), "at": datetime(2026, 3, 5, 17, 30)}, {"set": {3, 1, 2}}, [date(2026, 1, 1)],
    {"colour": Colour.RED, Colour.RED: Rank.FIRST}, [Colour.RED, Rank.FIRST], {"nested": {"deep": {"deeper": [[1, [2]]]}}},
]


@pytest.mark.parametrize("value", ODD, ids=range(len(ODD)))
def test_odd_values_are_written_as_json_dumps_writes_them(value):
    assert dumps_indented(value, _default) == _std(value)


def _random(rng: random.Random, depth: int):
    roll = rng.random()
    if depth > 3 or roll < 0.4:
        return rng.choice([None, True, False, rng.randint(-10 ** 6, 10 ** 6), rng.uniform(-1e6, 1e6), math.nan,
                           "".join(rng.choice("ab 单位\"\\\n{}[],:\t") for _ in range(rng.randint(0, 6))),
                           date(2026, rng.randint(1, 12), 1)])
    if roll < 0.7:
        return [_random(rng, depth + 1) for _ in range(rng.randint(0, 4))]
    return {rng.choice(["unit", "期", "a b", "", "k\n"]) + str(i): _random(rng, depth + 1)
            for i in range(rng.randint(0, 4))}


def test_random_documents_are_written_as_json_dumps_writes_them():
    rng = random.Random(20261206)
    for _ in range(400):
        value = _random(rng, 0)
        assert dumps_indented(value, _default) == _std(value)


def test_unknown_types_fail_as_json_dumps_fails():
    with pytest.raises(TypeError):
        dumps_indented({"x": object()}, _default)
    with pytest.raises(TypeError):
        dumps_indented({object(): 1}, _default)


def test_a_whole_stats_document_is_written_as_json_dumps_writes_it(ledger_2026):
    doc = as_json(year_stats(ledger_2026, 2026, TODAY))
    assert len(doc["matrix"]) > 100
    assert dumps_indented(doc, _default) == _std(doc)
