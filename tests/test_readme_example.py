"""The README's Python example runs as written, from a folder outside the checkout."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"
MARKER = "<!-- python-example -->"


def readme_example() -> str:
    """Return the code of the ```python block right after the marker."""
    text = README.read_text(encoding="utf-8")
    assert MARKER in text, "the README lost its Python example"
    block = text.split(MARKER, 1)[1].split("```python\n", 1)[1]
    return block.split("```", 1)[0]


def test_the_readme_example_runs_and_prints_what_it_says(tmp_path):
    code = readme_example()
    env = {**os.environ, "PYTHONPATH": str(README.parent)}
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert " on 18" in lines[0]  # the outcome and the day the war ended
    assert lines[1].startswith("200 wars over in ")
    assert lines[2].startswith("treaties signed in ")
    assert len(lines) == 3 + 3  # one line per outcome of the example war
    assert list(tmp_path.iterdir()) == []  # a study without an out folder writes nothing
