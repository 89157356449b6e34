"""tantivy engine."""
