"""User accounts: the User model, roles, profile pages and permission predicates."""
