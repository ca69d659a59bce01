"""The page in easy language (Leichte Sprache): its text, and the chapters and measures that have a
summary in easy language."""
