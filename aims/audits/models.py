"""Internal audits."""
