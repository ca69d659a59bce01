"""Moderation: flags (what people report), pre-moderation, the queues and their decisions."""
