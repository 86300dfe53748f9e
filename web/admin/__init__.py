"""Directory administration: pages, JSON API, imports, tokens (role `admin` only)."""
