"""Output: each kind of page, rendered or written for its format, and the files moved into place."""
