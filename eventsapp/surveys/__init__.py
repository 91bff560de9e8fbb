"""Feedback surveys: templates, questions with indicator keys, responses."""
