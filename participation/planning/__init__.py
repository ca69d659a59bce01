"""The planners' area: versions of the masterplan, the draft editor and the import."""
