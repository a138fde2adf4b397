"""Management reviews."""
