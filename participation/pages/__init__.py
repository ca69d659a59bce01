"""Admin-editable Markdown pages: imprint, privacy, accessibility statement, terms, netiquette."""
