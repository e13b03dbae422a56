"""What becomes of recorded orders: validate's warnings, replay's log, and standing holds.

An author's recorded order that the rules refuse, a march the record abandons half-way, or
a route chosen by the tie-break must never pass in silence: ``validate`` warns at the
order's line (``--strict`` makes it an error) and ``replay`` logs what happened instead.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest
from engine_helpers import MAIN, TINY, compiled, force, line_scenario

from game.ai.base import policy_keys
from game.ai.historical import HistoricalPolicy, history_covers
from game.cli import main
from game.engine.observe import observe
from game.engine.orders import NO_ORDER
from game.engine.state import initial_state
from game.history.order_audit import rehearse, route, tied_hops
from game.scenario.load import load_scenario

ORDERS = """\
extends: tiny.yaml
overlay: {id: orders_test@1.0, title: Orders put to the test, description: Mistakes on purpose.}
history:
  orders:
    - {date: 1850-03-15, force: south_army, order: retreat, to: nordby, source: example}
    - {date: 1850-03-08, force: south_levy, order: march, to: dal, source: example}
    - {date: 1850-03-22, force: south_levy, order: march, to: nordby, source: example}
    - {date: 1850-03-01, force: south_army, order: march, to: havn, source: example}
"""


@pytest.fixture
def what_if(tmp_path: Path) -> Path:
    shutil.copy(TINY, tmp_path / "tiny.yaml")
    path = tmp_path / "orders.yaml"
    path.write_text(ORDERS, encoding="utf-8")
    return path


def _lines(err: str) -> list[str]:
    return [line for line in err.splitlines() if ": warning: " in line or ": error: " in line]


def test_validate_warns_at_each_order_that_will_not_be_carried_out(
    what_if: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["validate", str(what_if), "--set", "map.links.sudby-havn.days=8"]) == 0
    err = capsys.readouterr().err
    warnings = _lines(err)
    by_line = {int(w.split(":")[1]): w for w in warnings}
    # the retreat to a province that is not a neighbour, pointed at its 'to'
    retreat = by_line[5]
    assert f"{what_if}:5:" in retreat and "history.orders[" in retreat and ".to:" in retreat
    assert "a retreat must be to a neighbour of Dal" in retreat
    assert "its neighbours are fjell, sudby, havn" in retreat
    # an order dated before the force arrives, pointed at its date
    early = by_line[6]
    assert (
        ".date:" in early and "has not arrived yet" in early and "on or after 1850-03-22" in early
    )
    # a march the record abandons while the column is still on the road
    cut = by_line[7]
    assert "still marching to Nordby" in cut and "the fallback commands it" in cut
    # the route chosen by the tie-break (sudby-havn 8 days = sudby-dal-havn 3 + 5)
    tie = by_line[8]
    assert "via Dal or via Havn" in tie and "listed first in map.provinces" in tie
    assert err.splitlines()[-1].endswith("1 of 1 files valid; 0 problems, 4 warnings")


def test_strict_turns_warnings_into_errors(
    what_if: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["validate", "--strict", str(what_if)]) == 2
    err = capsys.readouterr().err
    assert ": error: " in err and ": warning: " not in err
    assert err.splitlines()[-1].startswith("0 of 1 files valid; 3 problems")


def test_validate_json_gives_each_warning_with_its_severity(
    what_if: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["validate", "--json", "--notes", str(what_if)]) == 0
    rep = json.loads(capsys.readouterr().out)
    found = rep["files"][0]["problems"]
    assert rep["files"][0]["ok"] is True
    assert {p["severity"] for p in found} == {"warning", "note"}
    assert all(p["line"] > 0 and p["column"] > 0 for p in found)


def test_the_shipped_example_has_no_warnings(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", "--strict", str(TINY)]) == 0
    err = capsys.readouterr().err
    assert "warning" not in err and "error" not in err


def test_replay_logs_the_refused_order_and_what_was_done_instead(
    what_if: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["replay", str(what_if), "--json"]) == 0
    rep = json.loads(capsys.readouterr().out)
    notes = [n for t in rep["turns"] for n in t["order_notes"]]
    refused = [n for n in notes if n["kind"] == "refused" and n["force"] == "south_army"]
    assert refused and "retreat to Nordby of 1850-03-15 was refused" in refused[0]["text"]
    assert "the fallback" in refused[0]["text"]
    assert main(["replay", str(what_if)]) == 0
    assert "  ! south_army: the recorded retreat to Nordby" in capsys.readouterr().out


def test_a_last_hold_stands_to_the_end_of_the_war() -> None:
    """A force told to hold and never told otherwise stands: the fallback never takes it."""
    data = line_scenario(4, forces=[force("a1", "a", 500, "p1"), force("b1", "b", 500, "p3")])
    data["history"] = {
        "orders": [
            {"date": data["meta"]["start"], "force": "a1", "order": "hold", "source": "test"},
            {
                "date": data["meta"]["start"],
                "force": "b1",
                "order": "march",
                "to": "p2",
                "source": "test",
            },
        ]
    }
    scn = compiled(data)
    covers = history_covers(scn)
    a1, b1 = scn.force_index["a1"], scn.force_index["b1"]
    assert covers[:, a1].all()  # the hold, to the last turn
    assert covers[0, b1] and not covers[1:, b1].any()  # after the march, the fallback
    state = initial_state(scn, 1, 5)
    state.turn = 6
    pol = HistoricalPolicy(0, scn)
    obs = observe(scn, state, 0)
    d = pol.decide(scn, obs, policy_keys(5, state.run_ids, state.turn, 0))
    assert d.orders.kind[0, a1] == NO_ORDER  # keeps standing; the heuristic gives nothing


def test_routes_and_their_ties_are_the_engines() -> None:
    scn = load_scenario(TINY)
    nordby, sudby, havn = (scn.province_index[p] for p in ("nordby", "sudby", "havn"))
    assert route(scn, nordby, sudby) == [
        nordby,
        *[scn.province_index[p] for p in ("fjell", "dal")],
        sudby,
    ]
    assert tied_hops(scn, sudby, havn).tolist() == [havn]  # 4 days direct against 8 via dal


@pytest.mark.parametrize("path", ["scenarios/peru_bolivia_1841.yaml"])
def test_the_war_rehearses_without_warnings(path: str) -> None:
    root = Path(__file__).resolve().parents[1]
    notes = rehearse(load_scenario(root / path))
    assert not [n for n in notes if n.severity == "warning"], [n.message for n in notes]
    assert {n.kind for n in notes} <= {"timing", "handover"}
    assert np.all([n.order >= 0 for n in notes])


def test_a_warning_in_the_extended_file_names_the_overlay_checked(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # the what-if withholds Velasco's forces, so the record's orders for them are refused:
    # the orders stand in the base file, the overlay is what makes them fail
    overlay = MAIN.parent / "counterfactuals" / "velasco_withholds.yaml"
    assert main(["validate", str(overlay)]) == 0
    warnings = _lines(capsys.readouterr().err)
    assert warnings
    for w in warnings:
        assert w.startswith(str(MAIN)) and w.endswith(f"(while checking {overlay})"), w
