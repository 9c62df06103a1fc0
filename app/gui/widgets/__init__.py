"""Reusable widgets with no knowledge of packs or history."""
