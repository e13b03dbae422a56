"""One aggregation of a battle's sides: the battle fought and its previews agree bit for bit."""

from __future__ import annotations

import dataclasses

import numpy as np
from engine_helpers import compiled, force, line_scenario

from game import rng
from game.codes import Posture
from game.engine.battle_sides import aggregate_side, surprise_level
from game.engine.combat.prior import DEFENDER
from game.engine.context import new_context
from game.engine.kinds import kind_table
from game.engine.observe import observe
from game.engine.phases.battle import build_input, find_battles
from game.engine.preview import ASSUMED_ENEMY_COHESION, attack_input
from game.engine.state import initial_state


def _scenario():  # type: ignore[no-untyped-def]
    """Two mixed armies standing in p1, each with commanders of different ratings."""
    data = line_scenario(
        4,
        forces=[
            force("a_line", "a", 1250, "p1", commander="ca1"),
            force("a_horse", "a", 400, "p1", kind="cavalry", commander="ca2"),
            force("a_levy", "a", 900, "p1", kind="militia"),
            force("b_line", "b", 1500, "p1", commander="cb1"),
            force("b_irreg", "b", 650, "p1", kind="montoneros", commander="cb2"),
        ],
        rules={"fog": {"estimate_error": 0.0}},
    )
    data["commanders"] = [
        {"id": "ca1", "name": "A1", "side": "a", "rank": "General", "leadership": 0.5, "initiative": 1.0,
         "source": "test"},
        {"id": "ca2", "name": "A2", "side": "a", "rank": "General", "leadership": 1.0, "exposure": 2.0,
         "source": "test"},
        {"id": "cb1", "name": "B1", "side": "b", "rank": "General", "leadership": -0.5, "source": "test"},
        {"id": "cb2", "name": "B2", "side": "b", "rank": "General", "leadership": -0.5, "initiative": 0.5,
         "source": "test"},
    ]  # fmt: skip
    for f in data["forces"]:
        f["training"] = {"a_line": 1.0, "b_line": -1.0}.get(f["id"], 0.0)
    return compiled(data)


def test_a_preview_builds_exactly_the_battle_the_engine_fights() -> None:
    """With the enemy as the preview sees it, the resolver's input is the same, bit for bit.

    The preview sees the enemy's men and arms and assumes its cohesion; its ratings are
    unknown (left neutral, for the odds to draw), which the engine's own aggregation of
    the same forces gives with ``ratings_known=False``.
    """
    scn = _scenario()
    st = initial_state(scn, 1)
    enemy = scn.force_side == 1
    st.cohesion[:, enemy] = np.float32(ASSUMED_ENEMY_COHESION)  # what the preview assumes
    st.cohesion[:, ~enemy] = np.float32(0.8)
    st.dug_in[:] = 1  # the defenders have stood a turn: a prepared position
    st.owner[:, 1] = 1  # held by the defender, so it is the side attacked
    ctx = new_context(scn, st, record_moves=False)
    eng = find_battles(scn, st, ctx)
    attacking = eng.attacking(scn)
    assert eng.attacker.tolist() == [0]
    fought, att, dfd = build_input(
        scn, st, ctx, eng, np.flatnonzero(attacking), np.flatnonzero(~attacking)
    )

    obs = observe(scn, st, 0)
    own = [int(f) for f in np.flatnonzero(~enemy)]
    preview = attack_input(scn, obs, own[::-1], 1)  # any order of the attackers
    assert preview is not None
    assert preview.posture == Posture.PREPARED
    assert preview.unknown == DEFENDER
    # The enemy's ratings are unknown to the preview: the same battle with them neutral.
    dsel = np.flatnonzero(~attacking)
    b, f = eng.battle[dsel], eng.force[dsel]
    unrated = aggregate_side(
        scn, b, f, st.men[0, f].astype(np.float64), st.cohesion[0, f],
        st.commander[0, f].astype(np.int64), 1, ratings_known=False,
    )  # fmt: skip
    for name in ("quality", "training", "morale", "leadership"):
        setattr(fought, f"def_{name}", getattr(unrated, name))
    fought.surprise = surprise_level(att.surprise, att.initiative, unrated.initiative)
    for fld in dataclasses.fields(fought):
        if fld.name != "keys":
            a, b = getattr(fought, fld.name), getattr(preview.inp, fld.name)
            assert a.dtype == b.dtype and a.tobytes() == b.tobytes(), fld.name
    assert fought.def_quality[0] < 1.0 and fought.def_training[0] == 0.0
    # The best leader leads (A2, rating 1.0), and B1 and B2 tie: the lower slot leads.
    assert fought.att_leadership[0] == 1.0 and fought.att_exposure[0] == 2.0
    assert dfd.leadership[0] == -0.5 and dfd.commander[0] == unrated.commander[0] >= 0


def test_aggregating_battles_together_or_apart_gives_the_same_bits() -> None:
    scn = _scenario()
    f = np.arange(scn.F, dtype=np.int64)
    k = rng.root_key(0, rng.Stream.TEST, f)
    men = np.round(10.0 + 4990.0 * rng.uniform(k, 1))
    coh = (0.1 + 0.9 * rng.uniform(k, 2)).astype(np.float32)
    cmd = np.array([0, 1, -1, 2, 3] + [-1] * (scn.F - 5), np.int64)
    # Battle 0 has every slot, battle 1 the odd slots, battle 2 slot 2 alone.
    battle = np.concatenate([np.zeros(scn.F, np.int64), np.ones(f[1::2].size, np.int64), [2]])
    slots = np.concatenate([f, f[1::2], [2]])
    together = aggregate_side(scn, battle, slots, men[slots], coh[slots], cmd[slots], 3)
    for b in range(3):
        pick = battle == b
        alone = aggregate_side(
            scn, np.zeros(pick.sum(), np.int64), slots[pick], men[slots[pick]],
            coh[slots[pick]], cmd[slots[pick]], 1,
        )  # fmt: skip
        for name in ("men", "quality", "training", "cavalry", "leadership", "commander"):
            assert getattr(together, name)[b] == getattr(alone, name)[0], (name, b)
    q = scn.quality[2] * kind_table(scn, "quality")[scn.kind[2]] * (0.5 + 0.5 * coh[2])
    assert together.quality[2] == q and together.commander[2] == -1


def test_surprise_level_adds_half_the_lead_in_initiative_and_stays_in_range() -> None:
    assert surprise_level(1.5, 1.0, 0.0) == 2.0
    assert surprise_level(0.0, -1.0, 1.0) == -1.0
    assert surprise_level(3.0, 2.0, 0.0) == 3.0
    assert surprise_level(np.array([0.0, 0.0]), 0.0, np.array([10.0, -10.0])).tolist() == [-3, 3]
