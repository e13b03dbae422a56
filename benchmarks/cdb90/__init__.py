"""The combat resolver measured against the pre-1900 battles of CDB90.

The combat model's defaults (:class:`~game.scenario.schema.CombatRules`) were chosen so
that the resolver reproduces what real battles did.  This package measures that against
the acceptance targets in :data:`cdb90.targets.TARGETS`, in three parts:

A. **Historical replay.**  Each of the 239 pre-1900 CDB90 battles is fought many times
   with its real strengths, the defender's posture, each side's cavalry and HERO's
   judged advantages in surprise, leadership, training and morale; the same statistics
   (win rates, casualty quantiles, exchange exponent, duration, ...) are computed for the
   replays and for history.
B. **Conditional behaviour.**  Equal forces of equal quality in a hasty defence, varied
   one factor at a time: the force ratio, the posture, surprise, leadership and size.
C. **Commanders.**  How often a winning or losing commander is killed or captured.

Every number comes from :func:`game.engine.combat.resolve` with keys from the TEST
stream, so a calibration run is exactly reproducible.  The data are read here, by the
benchmarks and the tests, never by the game: the file ``benchmarks/data/cdb90_pre1900.csv``
(CDB90 Battle Dataset, Jeffrey B. Arnold, https://github.com/jrnold/CDB90, v9.0.3, ODC-By)
does not ship with the installed package.

Modules: :mod:`cdb90.records` (the battles), :mod:`cdb90.samples` (outcomes of real and
replayed battles), :mod:`cdb90.measures` (the statistics) and :mod:`cdb90.targets` (the
acceptance targets and :func:`~cdb90.targets.calibrate`).
"""
