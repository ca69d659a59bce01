"""Announcements: news from the planners to everyone who asked for it (double opt-in), on the site and in a feed."""
