"""Moderation: reports of proposals and comments, the queues and the decisions on them."""
