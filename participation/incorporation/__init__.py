"""Incorporation: accepted input carried into a paragraph of the next masterplan version."""
