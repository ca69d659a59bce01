"""Administration: users and their roles, blocks, editable pages, settings, the audit log."""
