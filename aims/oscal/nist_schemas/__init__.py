"""NIST's OSCAL 1.1.3 JSON schemas, unchanged: the ones an import checks against."""
