"""Small scenarios written for one rule each, and random legal orders, for engine tests."""

from __future__ import annotations

import copy
import dataclasses
from pathlib import Path
from typing import Any

import numpy as np

from game import rng
from game.codes import NONE, OrderKind
from game.engine.orders import Orders, can_garrison, march_targets, retreat_targets
from game.engine.state import CampaignState
from game.scenario.compile import CompiledScenario, compile_scenario
from game.scenario.schema import Scenario

ROOT = Path(__file__).resolve().parents[1]
TINY = ROOT / "scenarios" / "examples" / "tiny.yaml"
MAIN = ROOT / "scenarios" / "peru_bolivia_1841.yaml"

SRC = "test"


def line_scenario(
    n: int = 4,
    *,
    days: float = 3.0,
    forces: list[dict[str, Any]] | None = None,
    provinces: dict[int, dict[str, Any]] | None = None,
    events: list[dict[str, Any]] | None = None,
    rules: dict[str, Any] | None = None,
    peace: dict[str, Any] | None = None,
    will: tuple[float, float] = (0.9, 0.9),
    weeks: int = 12,
) -> dict[str, Any]:
    """Return a scenario dict: ``n`` provinces in a line, west half side a, east half b.

    Provinces are ``p0 .. p{n-1}``; ``p0`` is a's capital and ``p{n-1}`` is b's.
    """
    half = n // 2
    provs = []
    for i in range(n):
        owner = "a" if i < half else "b"
        p: dict[str, Any] = {
            "id": f"p{i}",
            "name": f"Province {i}",
            "lat": -10.0 - i,
            "lon": -70.0,
            "altitude": 100,
            "terrain": "plain",
            "value": 1,
            "owner": owner,
            "supply_source": i in (0, n - 1),
            "source": SRC,
        }
        p.update((provinces or {}).get(i, {}))
        provs.append(p)
    return {
        "meta": {
            "id": "line_test@1",
            "title": "Line",
            "description": "A test scenario.",
            "start": "1900-01-01",
            "end": str(np.datetime64("1900-01-01") + np.timedelta64(7 * weeks - 1, "D")),
            "sources": [{"id": SRC, "title": "Tests", "kind": "judgement"}],
        },
        "sides": [
            {
                "id": "a",
                "name": "Alpha",
                "colour": "#112233",
                "capital": "p0",
                "home_provinces": [f"p{i}" for i in range(half)],
                "war_aims": {"summary": "win"},
                "war_will": will[0],
                "source": SRC,
            },
            {
                "id": "b",
                "name": "Beta",
                "colour": "#332211",
                "capital": f"p{n - 1}",
                "home_provinces": [f"p{i}" for i in range(half, n)],
                "war_aims": {"summary": "win"},
                "war_will": will[1],
                "source": SRC,
            },
        ],
        "terrain": [{"id": "plain", "name": "Plain", "colour": "#cccccc"}],
        "map": {
            "provinces": provs,
            "links": [
                {"from": f"p{i}", "to": f"p{i + 1}", "days": days, "source": SRC}
                for i in range(n - 1)
            ],
        },
        "commanders": [],
        "forces": forces
        or [
            {
                "id": "fa",
                "name": "A",
                "side": "a",
                "kind": "line_infantry",
                "men": 1000,
                "start": "p0",
                "source": SRC,
            }
        ],
        "events": events or [],
        "victory": {
            "outcomes": [
                {
                    "id": "a_wins",
                    "name": "A wins",
                    "winner": "a",
                    "when": {"vp_margin": {"side": "a", "at_least": 1}},
                },
                {
                    "id": "b_wins",
                    "name": "B wins",
                    "winner": "b",
                    "when": {"vp_margin": {"side": "b", "at_least": 1}},
                },
                {"id": "draw", "name": "Draw"},
            ],
            "peace": {"talks_turns": 2, "quiet_turns": 0, **(peace or {})},
        },
        "rules": rules or {},
    }


def force(fid: str, side: str, men: int, where: str, **kw: Any) -> dict[str, Any]:
    """Return a force entry standing at ``where`` (or arriving, with ``arrival=...``)."""
    f: dict[str, Any] = {
        "id": fid,
        "name": fid.title(),
        "side": side,
        "kind": "line_infantry",
        "men": men,
        "source": SRC,
    }
    if "arrival" not in kw:
        f["start"] = where
    f.update(kw)
    return f


def compiled(data: dict[str, Any]) -> CompiledScenario:
    """Validate, check and compile a scenario dict (failing loudly on any problem)."""
    from game.scenario.checks import check

    model = Scenario.model_validate(copy.deepcopy(data))
    problems = check(model)
    assert not problems, problems
    return compile_scenario(model)


def random_orders(scn: CompiledScenario, st: CampaignState, seed: int = 0) -> Orders:
    """Return uniformly random legal orders for both sides, drawn from keyed streams."""
    R, F = st.runs, scn.F
    o = Orders.empty(R, F, scn.S)
    keys = rng.derive(rng.root_key(seed, rng.Stream.TEST, st.run_ids), st.turn)
    for s in range(scn.S):
        mt = march_targets(scn, st, s)
        rt = retreat_targets(scn, st, s)
        cg = can_garrison(scn, st, s)
        u = rng.uniform(
            keys[:, None, None], s, np.arange(F)[None, :, None], np.arange(scn.P + 3)[None, None, :]
        )
        choice = np.argmax(
            np.concatenate(
                [
                    np.where(mt, u[:, :, : scn.P], -1.0),
                    np.where(cg, u[:, :, scn.P], -1.0)[:, :, None],
                    np.full((R, F, 1), 0.5) * u[:, :, scn.P + 1 : scn.P + 2],
                    np.where(rt.any(axis=2), u[:, :, scn.P + 2], -1.0)[:, :, None],
                ],
                axis=2,
            ),
            axis=2,
        )
        mine = (scn.force_side == s)[None, :] & (mt.any(axis=2) | cg)
        kind = np.full((R, F), -1, np.int8)
        tgt = np.full((R, F), NONE, np.int16)
        march = choice < scn.P
        kinds = np.array([OrderKind.MARCH, OrderKind.FORCED_MARCH, OrderKind.ATTACK], np.int8)
        pick = rng.integers(3, keys[:, None], 7, s, np.arange(F)[None, :])
        here = march & (choice == st.loc)
        kind = np.where(march, kinds[pick], kind)
        kind = np.where(here, OrderKind.ATTACK, kind)
        tgt = np.where(march, choice, tgt)
        kind = np.where(choice == scn.P, OrderKind.GARRISON, kind)
        kind = np.where(choice == scn.P + 1, OrderKind.HOLD, kind)
        retreat = choice == scn.P + 2
        first_rt = np.argmax(rt, axis=2)
        kind = np.where(retreat, OrderKind.RETREAT, kind)
        tgt = np.where(retreat, first_rt, tgt)
        o.kind = np.where(mine, kind, o.kind).astype(np.int8)
        o.target = np.where(mine, tgt, o.target).astype(np.int16)
    return o


def assert_same_state(a: CampaignState, b: CampaignState) -> None:
    """Assert two states equal field by field (arrays by dtype and value), naming the first
    field that differs."""
    for f in dataclasses.fields(a):
        x, y = getattr(a, f.name), getattr(b, f.name)
        if isinstance(x, np.ndarray):
            assert x.dtype == y.dtype and np.array_equal(x, y), f.name
        else:
            assert x == y, f.name


def keyed_uniforms(seed: int, runs: int) -> Any:
    """Return ``u(salt, *shape)``: uniforms of shape ``[runs, ...]`` from the test stream.

    Row r draws from run r's key only, so the tables the kernel tests build from it
    stand in for per-run tables whatever the batch; each ``salt`` is one table.
    """
    key = rng.root_key(seed, rng.Stream.TEST, np.arange(runs))[:, None]

    def u(salt: int, *shape: int) -> np.ndarray:
        cols = np.arange(int(np.prod(shape[1:])))[None, :]
        return rng.uniform(rng.derive(key, salt, cols)).reshape(shape)

    return u
