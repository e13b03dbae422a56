"""Every fact of the seed is in the 1841 scenario: its dates, its people and its places.

The seed (``seeds/peruvian_bolivian_war_1841.txt``, the English Wikipedia article) is read
with a generic extractor, not a list written for it: dates in the article's forms ("October
1, 1841", "1 October 1841", "March 20" with the year from context, "February 1842", "the
next day", "eight days later"); people from the infobox's commander lists and from
capitalised multi-word names in the text ("Colonel Rodríguez Magariños", "Juan Bautista
Ramos"); places from the capitalised names after "in", "at", "of", "from", "to",
"occupied"... and in "Battle of X".  If the article gained a new name or date, these tests
would ask the scenario for it.  A small check on known items and on a made-up text makes
sure the extractor cannot silently find nothing.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from game.scenario.load import load_model
from game.scenario.schema import Scenario

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "seeds" / "peruvian_bolivian_war_1841.txt"
SCENARIO = ROOT / "scenarios" / "peru_bolivia_1841.yaml"

MONTHS: dict[str, int] = {
    name: i
    for i, name in enumerate(
        [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ],
        start=1,
    )
}
NUMBER_WORDS: dict[str, int] = {
    w: i
    for i, w in enumerate(
        [
            "one",
            "two",
            "three",
            "four",
            "five",
            "six",
            "seven",
            "eight",
            "nine",
            "ten",
            "eleven",
            "twelve",
            "thirteen",
            "fourteen",
            "fifteen",
            "sixteen",
            "seventeen",
            "eighteen",
            "nineteen",
            "twenty",
        ],
        start=1,
    )
}

SIDES = {"Peru", "Bolivia", "Peruvian", "Bolivian", "Peruvians", "Bolivians"}
"""The belligerents and their adjectives: not places (the scenario's sides cover them)."""

TITLES = {
    "President",
    "Presidents",
    "General",
    "Generals",
    "Colonel",
    "Colonels",
    "Major",
    "Captain",
    "Lieutenant",
    "Marshal",
    "Commander",
    "Sergeant",
}
"""Words before a person's name; they mark what follows as a person."""

NOT_NAMES = {
    "Army",
    "Division",
    "Battalion",
    "Regiment",
    "Battle",
    "Combat",
    "Recapture",
    "Occupation",
    "Treaty",
    "War",
    "Siege",
    "Confederation",
    "States",
    "Infobox",
}
"""Words that make a capitalised phrase an event or a body, not a person or a place."""

LEADING_STOPWORDS = {
    "The",
    "A",
    "An",
    "On",
    "After",
    "Soon",
    "There",
    "Thus",
    "Both",
    "Despite",
    "Although",
    "With",
    "Two",
    "See",
}
"""Capitalised only because they begin a sentence."""

PARTICLES = {"de", "del", "la", "y"}
"""Lower-case words inside Spanish names ("Manuel de Mendiburu", "Arias y Aragüez")."""

PLACE_TRIGGERS = {
    "in",
    "at",
    "of",
    "from",
    "to",
    "occupied",
    "occupies",
    "occupy",
    "entered",
    "vacated",
    "towards",
    "toward",
    "approaching",
    "within",
    "near",
    "reached",
}
"""Words after which a capitalised name is a place."""

TOKEN = re.compile(r"[^\W\d_][\w'’\-–]*|\d[\d,]*|[^\w\s]", re.UNICODE)
KIA = re.compile(r"(?<=[a-záéíóúñü])KIA\b")


# ----------------------------------------------------------------------------- the seed


@dataclass(frozen=True)
class MonthRef:
    """A date given only to the month ("February 1842")."""

    year: int
    month: int


@dataclass
class Extracted:
    """What the extractor found in a text."""

    dates: set[dt.date] = field(default_factory=set)
    months: set[MonthRef] = field(default_factory=set)
    people: set[str] = field(default_factory=set)
    places: set[str] = field(default_factory=set)


def split_seed(text: str) -> tuple[dict[str, str], str]:
    """Split the seed into its infobox fields and its prose.

    Args:
        text: The seed file's text.

    Returns:
        The infobox as ``{field: value}`` and the rest of the text.
    """
    infobox: dict[str, str] = {}
    prose: list[str] = []
    in_box = False
    for line in text.splitlines():
        if line.strip() == "Infobox":
            in_box = True
            continue
        if in_box and line.startswith("- ") and ":" in line:
            key, value = line[2:].split(":", 1)
            infobox[key.strip()] = value.strip()
            continue
        in_box = False
        prose.append(line)
    return infobox, "\n".join(prose)


def _year_before(text: str, pos: int) -> int | None:
    years = re.findall(r"\b(1[89]\d\d)\b", text[:pos])
    return int(years[-1]) if years else None


def extract_dates(text: str) -> tuple[set[dt.date], set[MonthRef]]:
    """Return the full dates and the month-only dates a text mentions.

    Dates without a year take the last year written before them; "the next day" and
    "<number> days later" count from the last full date before them.

    Args:
        text: Prose or infobox text.

    Returns:
        ``(dates, months)``.
    """
    month = "|".join(MONTHS)
    found: list[tuple[int, dt.date]] = []
    months: set[MonthRef] = set()
    patterns = (
        (rf"\b({month}) (\d{{1,2}}), (\d{{4}})\b", lambda m: (m[3], m[1], m[2])),
        (rf"\b(\d{{1,2}}) ({month}) (\d{{4}})\b", lambda m: (m[3], m[2], m[1])),
    )
    for pattern, parts in patterns:
        for m in re.finditer(pattern, text):
            y, mo, d = parts(m)
            found.append((m.start(), dt.date(int(y), MONTHS[mo], int(d))))
    for m in re.finditer(rf"\b({month}) (\d{{1,2}})\b(?!,? ?\d{{4}})(?!\d)", text):
        year = _year_before(text, m.start())
        if year is not None:
            found.append((m.start(), dt.date(year, MONTHS[m[1]], int(m[2]))))
    for m in re.finditer(rf"(?<!\d )\b({month}) (\d{{4}})\b", text):
        months.add(MonthRef(int(m[2]), MONTHS[m[1]]))
    found.sort()
    relative = [(m.start(), 1) for m in re.finditer(r"\bthe next day\b", text)]
    words = "|".join(NUMBER_WORDS)
    relative += [
        (m.start(), NUMBER_WORDS[m[1].lower()])
        for m in re.finditer(rf"\b({words}) days later\b", text, re.IGNORECASE)
    ]
    dates = {d for _, d in found}
    for pos, days in relative:
        before = [d for p, d in found if p < pos]
        if before:
            dates.add(before[-1] + dt.timedelta(days=days))
    return dates, months


def _capitalised(tok: str) -> bool:
    return tok[:1].isupper()


def _word_of_name(tok: str) -> bool:
    return _capitalised(tok) and tok.lower() not in PLACE_TRIGGERS


def _particle_leads(tokens: list[str], j: int) -> bool:
    """Whether the particles from ``tokens[j]`` on lead to a capitalised word."""
    while j < len(tokens) and tokens[j] in PARTICLES:
        j += 1
    return j < len(tokens) and _word_of_name(tokens[j])


def _name_at(tokens: list[str], i: int) -> tuple[list[str], int]:
    """Return the capitalised name starting at ``tokens[i]`` and the index after it."""
    j = i
    name: list[str] = []
    while j < len(tokens):
        tok = tokens[j]
        if _word_of_name(tok) or (tok in PARTICLES and name and _particle_leads(tokens, j)):
            name.append(tok)
            j += 1
        else:
            break
    while name and name[-1] in PARTICLES:
        name.pop()
    return name, max(j, i + 1)


def _clean(name: list[str]) -> list[str]:
    """Strip possessives and sentence-initial words from a name's tokens."""
    out = [re.sub(r"['’]s$", "", t) for t in name]
    while out and out[0] in LEADING_STOPWORDS:
        out = out[1:]
    return out


def _is_side(tok: str) -> bool:
    return all(part in SIDES for part in re.split(r"[–-]", tok) if part)


def _blocked(name: list[str]) -> bool:
    """Whether a phrase is a side, a month, or names an event or a body."""
    return any(t in NOT_NAMES or t in MONTHS or _is_side(t) for t in name)


def _is_person(name: str, people: set[str]) -> bool:
    words = set(name.split())
    return any(words <= set(p.split()) for p in people)


def extract_names(text: str, known_people: set[str]) -> tuple[set[str], set[str]]:
    """Return the people and the places a text names.

    Args:
        text: Prose.
        known_people: People already known (the infobox's commanders), so that a name
            after "of" ("the forces of Bernardo Rojas") is not taken for a place.

    Returns:
        ``(people, places)``.
    """
    tokens = TOKEN.findall(text)
    people: set[str] = set()
    places: set[str] = set()
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if tok.lower() in PLACE_TRIGGERS:
            i = _places_after(tokens, i + 1, known_people | people, places)
            continue
        if tok in TITLES:
            name, j = _name_at(tokens, i + 1)
            name = _clean(name)
            if name and not _blocked(name):
                people.add(" ".join(name))
            i = j
            continue
        if _capitalised(tok):
            name, j = _name_at(tokens, i)
            name = _clean(name)
            real = [t for t in name if t not in PARTICLES]
            if len(real) >= 2 and not _blocked(name) and not any(t in TITLES for t in name):
                people.add(" ".join(name))
            i = j
            continue
        i += 1
    return people, {p for p in places if not _is_person(p, known_people | people)}


def _places_after(tokens: list[str], i: int, people: set[str], places: set[str]) -> int:
    """Collect the place (or list of places) after a trigger; return where to go on."""
    if i < len(tokens) and tokens[i] == "the":
        i += 1
    while i < len(tokens):
        if not _capitalised(tokens[i]) or tokens[i] in TITLES:
            return i
        name, j = _name_at(tokens, i)
        name = _clean(name)
        while name and (name[0] in SIDES):
            name = name[1:]
        if name and name[0] in NOT_NAMES:
            return i + 1  # "Battle of X": X is collected after its own "of"
        if name and not _blocked(name):
            phrase = " ".join(name)
            if not _is_person(phrase, people):
                places.add(phrase)
        i = j
        # a list goes on: "of Tacna, Arica and Tarapacá"
        if i + 1 < len(tokens) and tokens[i] in {",", "and"}:
            nxt = tokens[i + 1]
            if _capitalised(nxt) and nxt not in TITLES and nxt.lower() not in PLACE_TRIGGERS:
                i += 1
                continue
        return i
    return i


def extract(text: str) -> Extracted:
    """Extract the dates, people and places of a seed article.

    Args:
        text: The article, with or without an infobox.

    Returns:
        Everything found.
    """
    text = unicodedata.normalize("NFC", text)
    infobox, prose = split_seed(text)
    out = Extracted()
    for key in ("Commander1", "Commander2", "Commander3"):
        for raw in infobox.get(key, "").split(","):
            name = KIA.sub("", raw).replace("(KIA)", "").replace("†", "").strip()
            if name:
                out.people.add(name)
    for value in (infobox.get("Date", ""), prose):
        dates, months = extract_dates(value)
        out.dates |= dates
        out.months |= months
    people, places = extract_names(prose, out.people)
    out.people |= people
    out.places |= places
    return out


@cache
def seed_facts() -> Extracted:
    """Return what the extractor finds in the shipped seed."""
    return extract(SEED.read_text(encoding="utf-8"))


# ----------------------------------------------------------------------------- the scenario


def _norm(s: str) -> str:
    s = unicodedata.normalize("NFC", s).casefold()
    return re.sub(r"[–—‐-]", "-", s)


REFERENCE_KEYS = {"source", "url", "path", "licence"}
ID = re.compile(r"^[a-z][a-z0-9_]*(@[\d.]+)?$")


def _strings(obj: Any) -> Iterator[str]:
    """Yield the names and texts in a dumped model: not ids, sources or addresses."""
    if isinstance(obj, str):
        if not ID.match(obj):
            yield obj
    elif isinstance(obj, dict):
        for k, v in obj.items():
            if k not in REFERENCE_KEYS:
                yield from _strings(v)
    elif isinstance(obj, list | tuple):
        for v in obj:
            yield from _strings(v)


@cache
def scenario() -> Scenario:
    """Return the 1841 scenario's validated model."""
    return load_model(SCENARIO)


@cache
def haystack() -> str:
    """Return every name and text of the scenario (not its ids), normalised, one per line."""
    data = scenario().model_dump(mode="json", by_alias=True)
    return "\n".join(_norm(s) for s in _strings(data))


def scenario_dates() -> set[dt.date]:
    """Return the dates of the record, the events, the historical orders and the meta."""
    model = scenario()
    out = {model.meta.start, model.meta.end}
    for entry in model.history.record:
        out.add(entry.date)
        if entry.end_date is not None:
            out.add(entry.end_date)
    out |= {ev.date for ev in model.events if ev.date is not None}
    out |= {o.date for o in model.history.orders}
    return out


def has_person(name: str) -> bool:
    """Whether the scenario names a person: in its texts, or as a commander's name."""
    if _norm(name) in haystack():
        return True
    words = set(_norm(name).split())
    return any(words <= set(_norm(c.name).split()) for c in scenario().commanders)


# ----------------------------------------------------------------------------- tests

KNOWN_DATES = {
    dt.date(1841, 10, 1),
    dt.date(1841, 10, 2),
    dt.date(1841, 10, 15),
    dt.date(1841, 10, 21),
    dt.date(1841, 11, 18),
    dt.date(1841, 12, 9),
    dt.date(1841, 12, 25),
    dt.date(1842, 1, 7),
    dt.date(1842, 3, 20),
    dt.date(1842, 4, 3),
    dt.date(1842, 6, 7),
    dt.date(1842, 6, 15),
}
KNOWN_PEOPLE = {
    "Agustín Gamarra",
    "José Ballivián",
    "Juan Bautista Ramos",
    "Rodríguez Magariños",
    "José Rosa Ara",
    "Justo Arias y Aragüez",
    "Manuel de Mendiburu",
    "Nicolás de Piérola",
    "Narciso Campero",
    "San Román",
}
KNOWN_PLACES = {
    "La Paz",
    "Mecapaca",
    "Viacha",
    "Ingavi Province",
    "Ingavi",
    "Moquegua Department",
    "Moquegua",
    "Puno",
    "Tacna",
    "Arica",
    "Tarapacá",
    "Cuzco",
    "Lima",
    "Sama",
    "Locumba",
    "Altos de Chipe",
    "Iquique",
    "Motoni",
    "Orurillo",
}


def test_extractor_finds_the_known_facts() -> None:
    facts = seed_facts()
    assert facts.dates >= KNOWN_DATES, sorted(KNOWN_DATES - facts.dates)
    assert MonthRef(1842, 2) in facts.months
    assert facts.people >= KNOWN_PEOPLE, sorted(KNOWN_PEOPLE - facts.people)
    assert facts.places >= KNOWN_PLACES, sorted(KNOWN_PLACES - facts.places)
    assert not facts.places & SIDES
    assert not facts.places & facts.people


def test_extractor_is_generic() -> None:
    text = (
        "= A war =\n\nInfobox\n- Date: 3 May 1850 – 9 June 1850\n"
        "- Commander1: Pedro QuispeKIA, Ana Mamani\n\n"
        "On May 3, 1850, Colonel Tomás Condori occupied Zepita, crossing the river the next "
        "day, and marched towards Juli and Pomata. On May 20 Rosa de la Cruz won the "
        "Battle of Ilave; the treaty came in June 1850 and the troops left Peru three "
        "days later."
    )
    facts = extract(text)
    assert {dt.date(1850, 5, 3), dt.date(1850, 5, 4), dt.date(1850, 5, 20)} <= facts.dates
    assert {dt.date(1850, 6, 9), dt.date(1850, 5, 23)} <= facts.dates
    assert facts.months == {MonthRef(1850, 6)}
    assert {"Pedro Quispe", "Ana Mamani", "Tomás Condori", "Rosa de la Cruz"} <= facts.people
    assert facts.places == {"Zepita", "Juli", "Pomata", "Ilave"}


def test_scenario_has_every_date_of_the_seed() -> None:
    facts = seed_facts()
    have = scenario_dates()
    missing = sorted(d.isoformat() for d in facts.dates - have)
    missing += sorted(
        f"{m.year}-{m.month:02d}"
        for m in facts.months
        if not any(d.year == m.year and d.month == m.month for d in have)
    )
    assert not missing, f"dates of the seed missing from the scenario: {missing}"


def test_scenario_names_every_person_of_the_seed() -> None:
    missing = sorted(p for p in seed_facts().people if not has_person(p))
    assert not missing, f"people of the seed missing from the scenario: {missing}"


def test_scenario_names_every_place_of_the_seed() -> None:
    text = haystack()
    missing = sorted(p for p in seed_facts().places if _norm(p) not in text)
    assert not missing, f"places of the seed missing from the scenario: {missing}"


@pytest.mark.parametrize("name", sorted(KNOWN_PLACES - {"Ingavi", "Moquegua Department"}))
def test_known_places_are_provinces_or_sites(name: str) -> None:
    model = scenario()
    names = {_norm(p.name) for p in model.map.provinces}
    names |= {_norm(pl.name) for p in model.map.provinces for pl in p.places}
    assert _norm(name) in names or any(_norm(name) in n for n in names)
