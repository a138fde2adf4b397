"""AIMS roles and competence."""
