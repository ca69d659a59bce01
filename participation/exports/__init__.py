"""Exports for planners, documents of versions and open data."""
