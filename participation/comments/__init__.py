"""Comments: threads on a chapter or a paragraph of the draft and on proposals."""
