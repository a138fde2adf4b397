import pytest

from aims.documents.models import DocumentVersion
from aims.documents.rendering import render_markdown, side_by_side, unified_diff
from aims.documents.starters import STARTERS, starter_get


@pytest.mark.parametrize("hostile, forbidden", [
    ("<script>alert(1)</script>", ["<script", "alert(1)"]),
    ("<img src=x onerror=alert(1)>", ["<img", "onerror"]),
    ("[click](javascript:alert(1))", ["javascript:"]),
    ("<a href=\"https://x.example\" onclick=\"steal()\">x</a>", ["onclick", "steal"]),
    ("<iframe src=\"https://evil.example\"></iframe>", ["<iframe"]),
    ("<style>body{display:none}</style>", ["<style", "display:none"]),
    ("<form action=/x><input name=a></form>", ["<form", "<input"]),
    ("![pixel](https://tracker.example/p.gif)", ["<img", "tracker.example"]),
    ("<div style=\"position:fixed\">x</div>", ["style=", "position:fixed"]),
])
def test_rendering_removes_anything_active(hostile, forbidden):
    html = render_markdown(f"# Title\n\n{hostile}\n\nAfter.")
    assert "<h1>Title</h1>" in html and "After." in html
    for bad in forbidden:
        assert bad not in html


def test_rendering_keeps_structure_and_safe_links():
    html = render_markdown("## Roles\n\n- **Board** approves\n- [Intranet](https://intra.example/p)"
                           "\n\n| a | b |\n| --- | --- |\n| 1 | 2 |\n")
    assert "<h2>Roles</h2>" in html and "<strong>Board</strong>" in html
    assert '<a href="https://intra.example/p" rel="noopener noreferrer nofollow">' in html
    assert "<table>" in html and "<td>1</td>" in html


def _v(number, content):
    return DocumentVersion(number=number, content=content)


def test_unified_and_side_by_side_diff():
    old = _v(1, "# Policy\nKeep\nOld line\nGone\n")
    new = _v(2, "# Policy\nKeep\nNew line\nAdded\nAnd more\n")
    text = unified_diff(old, new)
    assert "-Old line" in text and "+New line" in text and "-Gone" in text and "+And more" in text
    assert "v1" in text.splitlines()[0] and "v2" in text.splitlines()[1]
    rows = side_by_side(old, new)
    assert [r.kind for r in rows] == ["equal", "equal", "changed", "changed", "added"]
    assert (rows[2].old, rows[2].new, rows[4].old_no, rows[4].new_no) == (
        "Old line", "New line", None, 5)
    assert unified_diff(old, old) == "" and {r.kind for r in side_by_side(old, old)} == {"equal"}


def test_starters_are_ours_and_complete():
    assert {s.key for s in STARTERS} == {"ai_policy", "ai_risk_methodology",
                                         "ai_impact_procedure", "ai_lifecycle_procedure"}
    for s in STARTERS:
        assert s.content.startswith("# ") and len(s.content) > 1000
        assert starter_get(s.key) is s
