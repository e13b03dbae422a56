"""The campaign engine: pure functions over a batched state (no pygame, no files)."""
