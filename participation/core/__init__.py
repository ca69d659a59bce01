"""Shared building blocks: model types, permissions, Markdown, security helpers, pagination."""
