"""User accounts: the User and the roles it holds, display names, how a session becomes a user."""
