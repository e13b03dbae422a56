"""The phases of a turn, one module each, in the order :func:`game.engine.turn.step` runs them."""
