"""Chalice app internals: storage, auth, query understanding."""
