"""Cross-reference checks of the sides and the map: ids, links and connectivity."""

from __future__ import annotations

from collections import deque

from game.scenario.check_base import Context
from game.scenario.schema import Party


def check_sides(ctx: Context) -> None:
    """Capitals, home provinces and objectives exist; home lands do not overlap."""
    owner_of: dict[str, str] = {}
    for i, side in enumerate(ctx.model.sides):
        loc = ("sides", i)
        ctx.refs("province", side.home_provinces, (*loc, "home_provinces"))
        ctx.refs("province", side.war_aims.objectives, (*loc, "war_aims", "objectives"))
        if ctx.ref("province", side.capital, (*loc, "capital")) and (
            side.capital not in side.home_provinces
        ):
            ctx.add(
                (*loc, "capital"),
                f"capital '{side.capital}' is not one of the side's home provinces",
                "add it to home_provinces",
            )
        for j, pid in enumerate(side.home_provinces):
            other = owner_of.get(pid)
            if other is not None and other != side.id:
                ctx.add(
                    (*loc, "home_provinces", j),
                    f"province '{pid}' is a home province of both '{other}' and '{side.id}'",
                    "a province is home to one side only; use claimed_by for claims",
                )
            owner_of.setdefault(pid, side.id)
        for j, party in enumerate(side.parties):
            _check_party(ctx, party, (*loc, "parties", j))


def _check_party(ctx: Context, party: Party, loc: tuple[str | int, ...]) -> None:
    """An allied party's provinces exist, and it does not start ready to leave."""
    ctx.refs("province", party.home_provinces, (*loc, "home_provinces"))
    ctx.refs("province", party.war_aims.objectives, (*loc, "war_aims", "objectives"))
    if party.war_will < party.leave_will:
        ctx.add(
            (*loc, "war_will"),
            f"party '{party.id}' starts with war_will {party.war_will}, below its leave_will "
            f"{party.leave_will}: it would leave the alliance at once",
            "raise war_will or lower leave_will",
        )


def check_provinces(ctx: Context) -> None:
    """Each province's terrain, owner and claimants exist."""
    for i, prov in enumerate(ctx.model.map.provinces):
        loc = ("map", "provinces", i)
        ctx.ref("terrain", prov.terrain, (*loc, "terrain"))
        ctx.ref("side", prov.owner, (*loc, "owner"))
        ctx.refs("side", prov.claimed_by, (*loc, "claimed_by"))


def check_links(ctx: Context) -> None:
    """Links join two different, existing provinces, at most once per pair."""
    seen: dict[frozenset[str], int] = {}
    for i, link in enumerate(ctx.model.map.links):
        loc = ("map", "links", i)
        ok = ctx.ref("province", link.a, (*loc, "from"))
        ok = ctx.ref("province", link.b, (*loc, "to")) and ok
        if link.a == link.b:
            ctx.add((*loc, "to"), f"link from '{link.a}' to itself", "a link joins two provinces")
            continue
        pair = frozenset((link.a, link.b))
        if pair in seen:
            ctx.add(
                (*loc, "from"),
                f"duplicate link between '{link.a}' and '{link.b}'",
                "links work both ways; keep one",
                first=("map", "links", seen[pair], "from"),
            )
        elif ok:
            seen[pair] = i
        ctx.ref("side", link.controlled_by, (*loc, "controlled_by"))


def check_connected(ctx: Context) -> None:
    """Every province can be reached from the first, and off-map bases have a link."""
    provinces = ctx.model.map.provinces
    known = {p.id for p in provinces}
    nbrs: dict[str, set[str]] = {pid: set() for pid in known}
    for link in ctx.model.map.links:
        if link.a in known and link.b in known and link.a != link.b:
            nbrs[link.a].add(link.b)
            nbrs[link.b].add(link.a)
    for i, prov in enumerate(provinces):
        if prov.off_map and not nbrs[prov.id]:
            ctx.add(
                ("map", "provinces", i, "off_map"),
                f"off-map base '{prov.id}' has no link",
                "link it to the province its reinforcements enter by",
            )
    isolated_bases = {p.id for p in provinces if p.off_map and not nbrs[p.id]}
    unreachable = _unreachable(provinces[0].id, nbrs) - isolated_bases
    if unreachable:
        first = next(i for i, p in enumerate(provinces) if p.id in unreachable)
        names = ", ".join(p.id for p in provinces if p.id in unreachable)
        ctx.add(
            ("map", "provinces", first, "id"),
            f"the map is not connected: no route from '{provinces[0].id}' to {names}",
            "add links so that every province can be reached",
        )


def _unreachable(start: str, nbrs: dict[str, set[str]]) -> set[str]:
    seen = {start}
    queue = deque([start])
    while queue:
        for n in nbrs[queue.popleft()]:
            if n not in seen:
                seen.add(n)
                queue.append(n)
    return set(nbrs) - seen
