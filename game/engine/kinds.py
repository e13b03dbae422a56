"""What each arm of service is worth, as a table indexed by kind code.

A scenario's rules give every arm (line infantry, cavalry, militia, montoneros,
artillery) a quality, a cavalry share, the surprise it achieves, a marching speed and a
need of supply.  The phases and the AI read them per force slot as
``kind_table(scn, "quality")[scn.kind]``: one table, one way.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import numpy.typing as npt

from game.codes import KIND_NAMES
from game.scenario.compile import CompiledScenario

KindAttr = Literal["quality", "cavalry", "surprise", "speed", "supply_need"]


def kind_table(scn: CompiledScenario, attr: KindAttr) -> npt.NDArray[np.float64]:
    """Return ``[K]``: one of the scenario's per-arm values for each kind code."""
    out = np.zeros(len(KIND_NAMES))
    for name, k in KIND_NAMES.items():
        out[k] = getattr(scn.rules.kinds[name], attr)  # type: ignore[index]
    return out
