"""The two OSCAL import pages (a catalog as a framework of one's own, a profile into the SoA)
share one frame: where the page sits, the refusal, the dry-run report and the upload form are
written once, in oscal/import_base.html, and each page fills in what is its own."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

TEMPLATES = Path(__file__).resolve().parents[1] / "templates" / "oscal"
PAGES = {"import_catalog.html": "import-catalog", "import_profile.html": "import-profile"}


@pytest.mark.parametrize("name", PAGES)
def test_each_import_page_fills_the_shared_frame(name):
    source = (TEMPLATES / name).read_text()
    assert source.startswith('{% extends "oscal/import_base.html" %}')
    # The frame's markup is not repeated in the page.
    for shared in ('aria-label="breadcrumb"', "<h1>", "Nothing was imported", 'id="upload-h"',
                   'enctype="multipart/form-data"'):
        assert shared not in source, f"{name} repeats {shared!r} of the shared frame"


@pytest.mark.django_db
@pytest.mark.parametrize("name,path", PAGES.items())
def test_each_import_page_shows_the_frame_and_its_own_parts(org, members, name, path):
    owner = Client()
    owner.force_login(members["owner"])
    url = f"/o/{org.slug}/oscal/{path}/"
    page = owner.get(url)
    assert page.status_code == 200, url
    html = page.content.decode()
    noun = "catalog" if path == "import-catalog" else "profile"
    assert re.search(r'<nav aria-label="breadcrumb"><ul><li><a href="/o/[^"]+/">', html)
    assert html.count("<h1>") == 1 and f"OSCAL {noun}" in html
    assert f"Choose a {noun}" in html and f"Check the {noun} (dry run)" in html
    refused = owner.post(url, {"file": SimpleUploadedFile("x.json", b"{oops")})
    body = refused.content.decode()
    assert refused.status_code == 422 and "Nothing was imported." in body
    assert body.count('role="alert"') == 1 and f"Choose a {noun}" in body
