"""Read stage: stored bytes → text → Report (metadata, canonical sections, tables, warnings). Pure."""
