"""Registrations for events, with their ticket and manage tokens."""
