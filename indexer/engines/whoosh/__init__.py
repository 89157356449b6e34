"""Whoosh engine."""
