"""Showing a version: Markdown made safe HTML, and the difference between two versions."""

from __future__ import annotations

import difflib
from dataclasses import dataclass

import markdown
import nh3

# What rendered Markdown may contain: text structure only. No images (a remote image is a
# tracking beacon), no forms, scripts, styles or event handlers; raw HTML in the Markdown is
# cleaned to the same list.
ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "dl", "dt", "em", "h1", "h2",
    "h3", "h4", "h5", "h6", "hr", "i", "ins", "kbd", "li", "ol", "p", "pre", "s", "strong",
    "sub", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "td": {"align"},
                      "th": {"align"}, "ol": {"start"}}
URL_SCHEMES = {"http", "https", "mailto"}
EXTENSIONS = ["tables", "sane_lists", "fenced_code"]


def render_markdown(text: str) -> str:
    """Markdown → HTML that is safe to put in a page as it is."""
    html = markdown.markdown(text or "", extensions=EXTENSIONS, output_format="html")
    return nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES,
                     url_schemes=URL_SCHEMES, link_rel="noopener noreferrer nofollow")


@dataclass(frozen=True)
class DiffLine:
    """One row of a side-by-side diff; `kind` is equal, changed, added or removed."""

    kind: str
    old_no: int | None
    old: str
    new_no: int | None
    new: str


def version_text(version) -> list[str]:
    """The lines a diff compares: the Markdown, or a line naming the uploaded file."""
    if version.is_file:
        sha = version.blob.sha256 if version.blob_id else ""
        return [f"[file] {version.file_name} (sha256 {sha})"]
    return (version.content or "").splitlines()


def unified_diff(old, new) -> str:
    """The unified diff of two versions' text, labelled with their numbers."""
    lines = difflib.unified_diff(version_text(old), version_text(new),
                                 fromfile=f"{old} (v{old.number})",
                                 tofile=f"{new} (v{new.number})", lineterm="")
    return "\n".join(lines)


def side_by_side(old, new) -> list[DiffLine]:
    """Rows for a side-by-side table: equal lines, changed pairs, additions and removals."""
    a, b = version_text(old), version_text(new)
    rows: list[DiffLine] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            rows += [DiffLine("equal", i1 + k + 1, a[i1 + k], j1 + k + 1, b[j1 + k])
                     for k in range(i2 - i1)]
            continue
        for k in range(max(i2 - i1, j2 - j1)):
            i, j = i1 + k, j1 + k
            has_old, has_new = i < i2, j < j2
            kind = "changed" if has_old and has_new else "removed" if has_old else "added"
            rows.append(DiffLine(kind, i + 1 if has_old else None, a[i] if has_old else "",
                                 j + 1 if has_new else None, b[j] if has_new else ""))
    return rows
