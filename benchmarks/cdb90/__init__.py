"""The combat resolver measured against the pre-1900 battles of CDB90.

The combat model's defaults (:class:`~game.scenario.schema.CombatRules`) were chosen so
that the resolver reproduces what real battles did.  This package measures that against
the acceptance targets in :data:`cdb90.targets.TARGETS`, in five parts:

A. **Historical replay.**  Each of the 239 pre-1900 CDB90 battles is fought many times
   with its real strengths, the defender's posture, each side's cavalry and HERO's
   judged advantages in surprise, leadership, training and morale; the same statistics
   (win rates, casualty quantiles, exchange exponent, duration, ...) are computed for the
   replays and for history.
B. **Conditional behaviour.**  Equal forces of equal quality in a hasty defence, varied
   one factor at a time: the force ratio (also over the whole grid 1/12 to 12), the
   posture, surprise, leadership and size; and, ratings unknown, the odds of the CDB90
   battles by force-ratio band against the record.
C. **Commanders.**  How often a winning or losing commander is killed or captured.
E. **The bound on the exchange**, on a grid of equal-quality battles.
F. **Odds out of fold**: the chance of an attacker's win, with the codes' effects and
   the prior refitted on each fold's training battles, against two baselines.

Every number comes from :func:`game.engine.combat.resolve` with keys from the TEST
stream, so a calibration run is exactly reproducible.  The data are read here, by the
benchmarks and the tests, never by the game: the file ``benchmarks/data/cdb90_pre1900.csv``
(CDB90 Battle Dataset, Jeffrey B. Arnold, https://github.com/jrnold/CDB90, v9.0.3, ODC-By)
does not ship with the installed package.

Modules: :mod:`cdb90.records` (the battles), :mod:`cdb90.samples` (outcomes of real and
replayed battles), :mod:`cdb90.measures` (the statistics), :mod:`cdb90.ratios` (odds over
the whole range of force ratios, with equal and with unknown ratings),
:mod:`cdb90.exchange` (the bound on the exchange), :mod:`cdb90.prior_fit` (the prior of
unknown ratings), :mod:`cdb90.theta_fit` (the codes' effects fitted to who won),
:mod:`cdb90.crossval` (odds scored out of fold) and :mod:`cdb90.targets` (the acceptance
targets and :func:`~cdb90.targets.calibrate`).
"""
