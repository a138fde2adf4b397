"""context family of readiness rules (filled in by its author)."""
