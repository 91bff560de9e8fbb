"""A person's whole record across the capabilities: merging two persons, their history,
and the privacy rules (notice, export, erasure, purge). It sits above registration,
check-in and surveys because it reads and rewrites their rows; people/ below keeps identity."""
