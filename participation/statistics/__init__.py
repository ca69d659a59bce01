"""Participation statistics: the participation report's figures, their charts and the pages."""
