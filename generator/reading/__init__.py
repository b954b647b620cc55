"""Reading: content files, site.yaml and saved pages into articles, pages and settings."""
