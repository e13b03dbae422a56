"""Policies that give orders for one side from its observation, vectorised over runs."""
