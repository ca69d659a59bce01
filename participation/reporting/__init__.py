"""The semi-annual interim reports on the action concept, and the advisory boards' statements."""
