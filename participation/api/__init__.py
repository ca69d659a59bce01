"""A read-only JSON API of the public data, described by an OpenAPI document it serves itself."""
