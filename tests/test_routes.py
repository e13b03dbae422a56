"""Shortest routes: every column walks a shortest route, and ties go to the first listed."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from game.codes import NONE
from game.scenario.routes import TIE, _next_hop, shortest


@st.composite
def maps(draw: st.DrawFn) -> np.ndarray:
    """A connected map of 2-8 provinces with links of whole, half and tenth days."""
    n = draw(st.integers(2, 8))
    days = st.sampled_from([0.1, 0.2, 0.3, 0.5, 1.0, 1.5, 2.0, 3.0])
    link = np.full((n, n), np.inf)
    for b in range(1, n):  # a tree first, so the map is connected
        a = draw(st.integers(0, b - 1))
        link[a, b] = link[b, a] = draw(days)
    for _ in range(draw(st.integers(0, n))):
        a, b = draw(st.integers(0, n - 1)), draw(st.integers(0, n - 1))
        if a != b:
            link[a, b] = link[b, a] = draw(days)
    return link


@settings(max_examples=200, deadline=None)
@given(maps())
def test_next_hop_walks_a_shortest_route_and_breaks_ties_by_list_order(link: np.ndarray) -> None:
    dist = shortest(link)
    hop = _next_hop(link, dist)
    n = link.shape[0]
    for a in range(n):
        for b in range(n):
            if a == b:
                assert hop[a, b] == NONE
                continue
            via = link[a] + dist[:, b]
            tied = np.flatnonzero(via <= dist[a, b] + TIE * max(dist[a, b], 1.0))
            assert hop[a, b] == tied[0]  # the first of the equally short, in list order
            walked, p = 0.0, a
            for _ in range(n):
                if p == b:
                    break
                walked += link[p, hop[p, b]]
                p = int(hop[p, b])
            assert p == b and abs(walked - dist[a, b]) <= 1e-6
