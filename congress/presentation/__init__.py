"""Listings, sinks (table, CSV, JSON), sheets, the brief: what a result looks like."""
