"""The map: projection, the cached parchment base map, counters and the map widget."""
