"""The heuristic's reasoning, pass by pass, for every run of a batch at once.

Orders are built in passes over the side's forces, each vectorised over runs (the loops
are over forces and over a few greedy rounds, never over runs):

0. **Appraisal** (:mod:`game.ai.appraisal`).  What each province is worth, what threatens
   it, the least odds worth attacking at, where each force can strike.
1. **Attacks** (:mod:`game.ai.strikes`, :mod:`game.ai.economy`).  Pooled strikes on seen
   enemies where the odds clear the threshold, less the forces the strike can spare;
   then irregulars raid what is left at a lower threshold.
2. **Contact** (:mod:`game.ai.contact`).  Forces sharing a province with the enemy that
   are not attacking stand if the odds of holding are fair, and retreat if not.
3. **Movement** (:mod:`game.ai.movement`, :mod:`game.ai.holding`).  Every other force,
   largest first, stays or marches to where it adds most to the chance of keeping what
   is worth keeping, taking what is worth taking, or gathering for next turn's strike.
4. **Peace** (:mod:`game.ai.peace`).  Sue when will is spent, or when a treaty now
   would confirm a win.

The orders being built, and where the men will stand, are a :class:`~game.ai.draft.Draft`
that each pass reads and adds to.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from game import rng
from game.ai.appraisal import Appraisal, appraise
from game.ai.contact import contact
from game.ai.detachments import clear
from game.ai.draft import Draft
from game.ai.escort import escort
from game.ai.explain import Notes, Reason
from game.ai.fallback import fall_back
from game.ai.features import Situation
from game.ai.movement import moves
from game.ai.peace import sue
from game.ai.personality import Personality
from game.ai.random_policy import random_orders
from game.ai.signing import guard, station
from game.ai.strikes import attacks
from game.codes import NONE
from game.engine import jit
from game.engine.orders import NO_ORDER, Orders

U64 = npt.NDArray[np.uint64]


@dataclass
class Thought:
    """A heuristic decision: the orders, why each was given, and why it sued for peace.

    ``peace`` is ``[R]``: 0 no suit, 1 sued because its will is spent, 2 sued because a
    treaty now would name it winner; ``outcome`` is the outcome a treaty signed now would
    name (as far as the side can see).
    """

    orders: Orders
    notes: Notes
    peace: npt.NDArray[np.int8]
    outcome: npt.NDArray[np.int64]


def blunders(ap: Appraisal, d: Draft) -> None:
    """At easy difficulty, replace some forces' orders by random legal ones."""
    if ap.pers.blunder <= 0:
        return
    sit = ap.sit
    u = rng.uniform(rng.derive(ap.keys[:, None], 13, np.arange(ap.F)[None, :]))
    hit = sit.able & (u < ap.pers.blunder)
    if not hit.any():
        return
    wild = random_orders(sit.scn, sit.obs, rng.derive(ap.keys, 17))
    d.kind = np.where(hit, wild.kind, d.kind).astype(np.int16)
    d.target = np.where(hit, wild.target, d.target).astype(np.int16)
    d.notes.set(hit, Reason.BLUNDER, place=wild.target, p_win=np.nan, killed=np.nan)


def plan(sit: Situation, pers: Personality, keys: U64, *, notes: bool = True) -> Thought:
    """Run every pass for ``sit.side`` and return the orders with their reasons.

    The reasons never change the orders; leaving them out (``notes=False``) saves time
    in rollouts.
    """
    ap = appraise(sit, pers, keys)
    d = Draft.start(sit, notes=notes)
    station(ap, d)
    guard(ap, d)
    escort(ap, d)
    attacks(ap, d)
    attacks(ap, d, irregular_only=True)
    clear(ap, d)
    contact(ap, d)
    fall_back(ap, d)
    moves(ap, d)
    blunders(ap, d)
    suing, why = sue(ap)
    kind, target, suit, peace = _orders(
        (sit.own, sit.able, d.kind, d.target), (suing, why), sit.scn.S, sit.side
    )
    return Thought(Orders(kind=kind, target=target, sue=suit), d.notes, peace, ap.outcome)


@jit.kernel
def _orders(draft_t, suit_t, S, side):  # pragma: no cover - compiled
    """Return the orders of the side's forces able to take one, its suits and why it sued.

    ``draft_t``: the side's own slots, the forces able to take an order, the draft's
    kinds and targets (every other force gets no order and no target); ``suit_t``:
    whether the side sues in each run, and why (``[R, S]`` suits, the side's column
    set; ``[R]`` the reason where it sues, else 0).
    """
    own, able, kinds, targets = draft_t
    suing, why = suit_t
    R, F = able.shape
    kind = np.full((R, F), NO_ORDER, np.int8)
    target = np.full((R, F), NONE, np.int16)
    suit = np.zeros((R, S), np.bool_)
    peace = np.zeros(R, np.int8)
    for r in range(R):
        for f in range(F):
            if own[f] and able[r, f]:
                kind[r, f] = kinds[r, f]
                target[r, f] = targets[r, f]
        if suing[r]:
            suit[r, side] = True
            peace[r] = why[r]
    return kind, target, suit, peace
