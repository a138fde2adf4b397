"""HTML to PDF with WeasyPrint, fetching nothing: every report is self-contained."""

from __future__ import annotations


def html_to_pdf(html: str) -> bytes:
    from weasyprint import HTML  # heavy to import; only PDF requests need it
    from weasyprint.urls import URLFetcher

    # No protocol is allowed, so a report can never reach the network or the disk.
    return HTML(string=html, url_fetcher=URLFetcher(allowed_protocols=())).write_pdf()
