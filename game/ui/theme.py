"""The look of the interface: parchment colours, side colours and fonts.

Fonts are loaded once per size and kept.  Titles and map names use IM Fell English (SIL
Open Font License, shipped in ``assets/fonts``), a revival of the types of the Fell
collection that gives a period feel; running text and figures use DejaVu, which ships
inside matplotlib (a dependency) under the Bitstream Vera licence.  If a file cannot be
found the interface still works with pygame's own font.
"""

from __future__ import annotations

import importlib.util
from functools import cache
from pathlib import Path

import pygame

from game.paths import assets_dir

Colour = tuple[int, int, int]

PARCHMENT: Colour = (236, 224, 194)
PARCHMENT_DARK: Colour = (214, 197, 158)
PANEL: Colour = (244, 236, 214)
PANEL_EDGE: Colour = (120, 96, 62)
INK: Colour = (48, 36, 24)
INK_SOFT: Colour = (104, 86, 62)
SEA: Colour = (190, 208, 205)
SEA_LINE: Colour = (120, 150, 152)
LAKE: Colour = (176, 200, 204)
ROAD: Colour = (110, 62, 36)
HIGHLIGHT: Colour = (226, 170, 40)
ATTACK: Colour = (176, 30, 30)
GOOD: Colour = (40, 110, 50)
BAD: Colour = (150, 30, 30)
BUTTON: Colour = (120, 52, 36)
BUTTON_HOVER: Colour = (150, 70, 46)
BUTTON_OFF: Colour = (160, 150, 130)
BUTTON_TEXT: Colour = (250, 242, 222)

FELL = "IMFellEnglish-Regular.woff"
FELL_ITALIC = "IMFellEnglish-Italic.woff"
FELL_SC = "IMFellEnglishSC-Regular.woff"


def hex_colour(text: str) -> Colour:
    """Return an RGB tuple from a '#rrggbb' string."""
    t = text.lstrip("#")
    return int(t[0:2], 16), int(t[2:4], 16), int(t[4:6], 16)


def mix(a: Colour, b: Colour, t: float) -> Colour:
    """Return the colour a fraction ``t`` of the way from ``a`` to ``b``."""
    return tuple(round(x + (y - x) * t) for x, y in zip(a, b, strict=True))  # type: ignore[return-value]


def _dejavu(name: str) -> Path | None:
    spec = importlib.util.find_spec("matplotlib")
    if spec is None or spec.origin is None:
        return None
    path = Path(spec.origin).parent / "mpl-data" / "fonts" / "ttf" / name
    return path if path.exists() else None


def _font_path(name: str) -> Path | None:
    shipped = assets_dir() / "fonts" / name
    if shipped.exists():
        return shipped
    return _dejavu(name)


@cache
def font(name: str, size: int) -> pygame.font.Font:
    """Return a font by file name and pixel size (cached); pygame's own if it is missing."""
    if not pygame.font.get_init():
        pygame.font.init()
    path = _font_path(name)
    return pygame.font.Font(str(path) if path else None, size)


_RENDERED: dict[tuple[int, str, Colour], pygame.Surface] = {}
_RENDER_KEEP = 4000


def render(f: pygame.font.Font, text: str, colour: Colour) -> pygame.Surface:
    """Return rendered text, cached: panels redraw the same words every frame."""
    key = (id(f), text, colour)
    img = _RENDERED.get(key)
    if img is None:
        if len(_RENDERED) >= _RENDER_KEEP:
            _RENDERED.clear()
        img = _RENDERED[key] = f.render(text, True, colour)
    return img


def title(size: int) -> pygame.font.Font:
    """Return the display face (IM Fell English small capitals)."""
    return font(FELL_SC, size)


def serif(size: int, italic: bool = False) -> pygame.font.Font:
    """Return the period text face (IM Fell English), for names and prose."""
    return font(FELL_ITALIC if italic else FELL, size)


def body(size: int, bold: bool = False) -> pygame.font.Font:
    """Return the clear face for figures and small text (DejaVu Sans)."""
    return font("DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf", size)


def body_serif(size: int, bold: bool = False, italic: bool = False) -> pygame.font.Font:
    """Return DejaVu Serif, for running text that must stay legible at small sizes."""
    style = ("-Bold" if bold else "") + ("Italic" if italic else "")
    name = f"DejaVuSerif{'-' + style.lstrip('-') if style else ''}.ttf"
    return font(name, size)
