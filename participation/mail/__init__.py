"""Mail: an outbox table written in the event's transaction, delivered after commit by a worker."""
