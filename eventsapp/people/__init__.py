"""Persons and organizations: one human across all events and years."""
