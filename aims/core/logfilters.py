"""Log filters: a refused request is the caller's mistake, worth one line, not a traceback."""

from __future__ import annotations

import logging


class ClientErrorsBriefly(logging.Filter):
    """Drop the traceback Django attaches to a 4xx it logs (a 403 or 404 raised as an
    exception): the line says what was refused and where; 5xx keep theirs."""

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if isinstance(status, int) and 400 <= status < 500:
            record.exc_info = None
            record.exc_text = None
        return True
