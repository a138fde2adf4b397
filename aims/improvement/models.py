"""Incidents, nonconformities and improvement."""
