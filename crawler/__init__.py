"""Crawl stage: portals → corpus/ (raw files + fetch records)."""
