"""Everything below the interface runs headless: importing it must not import pygame.

``test_import_rules`` checks the same from the source; this test imports the modules for
real, so an import made by a library on our behalf would be caught too.
"""

from __future__ import annotations

import subprocess
import sys

CODE = """
import importlib, pkgutil, sys
import game.scenario, game.engine, game.ai, game.study, game.history, game.ui
for name in ("game", "game.game", "game.save", "game.play_loop", "game.rng", "game.codes"):
    importlib.import_module(name)
for pkg in (game.scenario, game.engine, game.ai, game.study, game.history):
    for mod in pkgutil.walk_packages(pkg.__path__, pkg.__name__ + "."):
        importlib.import_module(mod.name)
bad = sorted(m for m in sys.modules if m == "pygame" or m.startswith("pygame."))
print(",".join(bad))
"""


def test_core_packages_do_not_import_pygame():
    out = subprocess.run([sys.executable, "-c", CODE], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", f"pygame imported by core packages: {out.stdout}"


def test_the_check_would_notice_pygame():
    code = CODE.replace("import game.scenario,", "import game.ui.app, game.scenario,")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "pygame" in out.stdout
