"""Moderation: flags (what people report), the queues and the decisions on them."""
