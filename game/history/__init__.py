"""History beside the model: the replay, the fidelity report and the what-if comparison.

* :mod:`game.history.record` reads the scenario's record (battles, occupations,
  withdrawals, deaths, the treaty) as things a played war can be checked against;
* :mod:`game.history.replay` plays one war by the historical orders and keeps each turn's
  chronicle beside the record of the same days (``ingavi replay``);
* :mod:`game.history.historical_runs`, :mod:`game.history.measure` and :mod:`game.history.fidelity`
  play many wars and report how often history repeats itself (``ingavi fidelity``),
  overlays included (``--compare``).

Nothing here scripts a result: the wars are played by the engine and the policies alone.
"""
