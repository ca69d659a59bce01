"""Moderation: the append-only log of decisions (queues follow in a later issue)."""
