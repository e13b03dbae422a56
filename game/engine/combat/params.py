"""The numbers of the combat model, and where a scenario keeps them."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from game.scenario.compile import CompiledScenario
    from game.scenario.schema import CombatRules


@dataclass(frozen=True)
class CombatParams:
    """Numbers of the combat model, as plain floats for the hot loop.

    Built from a scenario's :class:`~game.scenario.schema.CombatRules` with
    :meth:`from_rules`; the field meanings and calibrated defaults are documented there.
    ``posture`` holds the defender's multiplier for each :class:`Posture` code.
    """

    k0: float
    w: float
    g_size: float
    sigma_phi: float
    b0: float
    sigma_b: float
    gamma: float
    h0: float
    pi0_def: float
    pi0_att: float
    sigma_pi: float
    hours_per_day: float
    max_days: int
    p_continue: float
    dt: float
    kappa: float
    rho: float
    shock: float
    theta_leadership: float
    theta_training: float
    theta_morale: float
    theta_surprise: float
    posture: tuple[float, float, float, float]
    fire_cap: float
    exchange_cap: float
    pursuit_cap: float
    capture_cap: float
    killed_share: float
    captured_share: float
    pursuit_killed_share: float
    pursuit_captured_share: float

    @classmethod
    def from_rules(cls, rules: CombatRules) -> CombatParams:
        """Return the parameters of a scenario's combat rules."""
        names = {f.name for f in fields(cls)} - {"posture"}
        values: dict[str, Any] = {name: getattr(rules, name) for name in names}
        values["max_days"] = int(rules.max_days)
        values["posture"] = (
            float(rules.posture_meeting),
            float(rules.posture_hasty),
            float(rules.posture_prepared),
            float(rules.posture_fortified),
        )
        return cls(**values)

    @classmethod
    def default(cls) -> CombatParams:
        """Return the calibrated defaults (those of a scenario that overrides nothing)."""
        from game.scenario.schema import CombatRules

        return cls.from_rules(CombatRules())

    @property
    def ticks_per_day(self) -> int:
        """Ticks of fighting in one day (at least one)."""
        return max(1, round(self.hours_per_day / self.dt))


def combat_params(scn: CompiledScenario) -> CombatParams:
    """Return the scenario's resolver parameters (built once, kept with the scenario)."""
    params = scn.extra.get("combat_params")
    if params is None:
        params = scn.extra["combat_params"] = CombatParams.from_rules(scn.rules.combat)
    return params
