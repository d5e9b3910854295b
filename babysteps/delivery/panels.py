"""Panels (filled in below)."""
