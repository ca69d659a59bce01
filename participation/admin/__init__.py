"""Administration: users and their roles, blocks, editable pages."""
