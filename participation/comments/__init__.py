"""Comments: on a chapter or a paragraph of the draft (and, later, on proposals), threaded."""
