"""Serve exactly the front-end files aims uses from node_modules (installed by `npm ci`).

Listing whole package folders would copy and compress hundreds of unused files (Pico ships
200+ theme variants) on every collectstatic.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles.finders import BaseFinder
from django.core.checks import Error
from django.core.files.storage import FileSystemStorage

# The icons the UI uses (Lucide, ISC licence), each served as vendor/icons/<name>.svg and
# drawn through a CSS mask in the text colour (`.i-<name>` in aims/app.css).
ICONS = (
    "activity", "arrow-left-right", "book-open", "circle-alert", "circle-check", "circle-x", "clipboard-check",
    "cpu", "file-text", "flag", "gauge", "git-compare", "grid-3x3", "history", "kanban", "layers", "layout-dashboard",
    "import", "library", "lightbulb", "list-checks", "list-ordered", "menu", "messages-square",
    "octagon-alert", "package", "paperclip", "scale", "search-check", "server", "shield-alert", "siren",
    "target", "triangle-alert", "truck", "user-cog", "users", "users-round",
)

# static path → file under node_modules
VENDOR_FILES = {
    "vendor/pico/pico.min.css": "@picocss/pico/css/pico.min.css",
    "vendor/htmx/htmx.min.js": "htmx.org/dist/htmx.min.js",
    **{f"vendor/icons/{name}.svg": f"lucide-static/icons/{name}.svg" for name in ICONS},
}


def _source(rel: str) -> Path:
    return Path(settings.BASE_DIR) / "node_modules" / rel


class VendorFinder(BaseFinder):
    def check(self, **kwargs):
        missing = [rel for rel in VENDOR_FILES.values() if not _source(rel).is_file()]
        return [Error(f"Front-end asset missing: node_modules/{rel}", hint="Run `npm ci`.",
                      id="aims.E001") for rel in missing]

    def find(self, path, find_all=False, **kwargs):
        rel = VENDOR_FILES.get(path)
        if rel is None or not _source(rel).is_file():
            return [] if find_all else None
        found = str(_source(rel))
        return [found] if find_all else found

    def list(self, ignore_patterns):
        for path, rel in VENDOR_FILES.items():
            source = _source(rel)
            if not source.is_file():
                continue
            storage = FileSystemStorage(location=str(source.parent))
            storage.prefix = str(Path(path).parent)
            yield source.name, storage
