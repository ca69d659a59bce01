"""The home page, the language switch, health check and error pages."""
