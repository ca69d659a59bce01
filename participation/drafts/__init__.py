"""The masterplan drafts: versions, chapters, paragraphs, votes; reading, comparing, importing."""
