"""Offline input: staff record what workshops, events, letters and phone calls brought in."""
