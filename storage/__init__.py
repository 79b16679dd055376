"""Storage: SQLite schema, articles, full-text search, subscriptions, ledgers and file readers."""
