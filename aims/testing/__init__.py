"""Tools that exercise a whole running aims from outside (not part of the served app)."""
