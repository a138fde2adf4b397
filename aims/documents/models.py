"""Documented information."""
