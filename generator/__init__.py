"""A static site generator for an archive of UK police press releases about county lines."""

__version__ = "0.3.0"
