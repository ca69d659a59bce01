"""Data protection self-service: a person's data, deletion, retention."""
