"""Proposals: writing and changing them, supports, follows, the list with its search, the feed."""
