"""Organisations and the verified members who may publish statements in their name."""
