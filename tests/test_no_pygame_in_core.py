"""The engine, the AI and studies run headless: importing them must not import pygame."""

from __future__ import annotations

import subprocess
import sys

CODE = """
import importlib, pkgutil, sys
import game.engine, game.ai, game.study, game.ui
for pkg in (game.engine, game.ai, game.study):
    for mod in pkgutil.walk_packages(pkg.__path__, pkg.__name__ + "."):
        importlib.import_module(mod.name)
bad = sorted(m for m in sys.modules if m == "pygame" or m.startswith("pygame."))
print(",".join(bad))
"""


def test_core_packages_do_not_import_pygame():
    out = subprocess.run([sys.executable, "-c", CODE], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", f"pygame imported by core packages: {out.stdout}"


def test_the_check_would_notice_pygame():
    code = CODE.replace("import game.engine,", "import game.ui.app, game.engine,")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "pygame" in out.stdout
