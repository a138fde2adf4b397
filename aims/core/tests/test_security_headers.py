"""The Content-Security-Policy on every page, templates it can hold to, and HSTS in production."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from aims.testing.factories import make_ai_system

ROOT = Path(__file__).resolve().parents[3]
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I)
HANDLER = re.compile(r"\son[a-z]+\s*=", re.I)


def directives(header: str) -> dict[str, list[str]]:
    out = {}
    for part in header.split(";"):
        name, *values = part.split()
        out[name] = values
    return out


def assert_strict(response):
    header = response.headers.get("Content-Security-Policy")
    assert header, f"no CSP on {response.request['PATH_INFO']}"
    d = directives(header)
    assert d["default-src"] == ["'self'"]
    assert d["frame-ancestors"] == ["'none'"]
    assert d["script-src"] == ["'self'"]  # no inline script, no eval
    assert "'unsafe-inline'" not in d.get("style-src", [])
    body = response.content.decode()
    assert not INLINE_SCRIPT.search(body), INLINE_SCRIPT.search(body).group(0)
    assert not HANDLER.search(body), HANDLER.search(body).group(0)
    assert 'style="' not in body and "javascript:" not in body


@pytest.mark.django_db
def test_main_pages_carry_a_strict_policy(org, members, ctx, web_client_for, client):
    system = make_ai_system(ctx, name="Credit decision engine")
    c = web_client_for(members["owner"])
    base = f"/o/{org.slug}"
    pages = [f"{base}/", f"{base}/ai-systems/", f"{base}/ai-systems/{system.pk}/",
             f"{base}/ai-systems/new/", f"{base}/risks/", f"{base}/risks/new/", f"{base}/soa/",
             f"{base}/evidence/", f"{base}/evidence/new/", f"{base}/documents/",
             f"{base}/tasks/", f"{base}/members/", f"{base}/activity/", f"{base}/readiness/",
             f"{base}/audits/", "/account/tokens/"]
    for path in pages:
        r = c.get(path)
        assert r.status_code == 200, path
        assert_strict(r)
    assert_strict(client.get("/account/sign-in/"))
    docs = web_client_for(members["owner"]).get("/api/v1/docs")
    assert directives(docs.headers["Content-Security-Policy"])["script-src"] == ["'self'"]


TEMPLATES = sorted(p for p in (ROOT / "aims").rglob("templates/**/*.html")
                   if "/email/" not in str(p))


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: str(p.relative_to(ROOT)))
def test_templates_hold_no_inline_script_handlers_or_styles(path):
    text = path.read_text()
    assert not INLINE_SCRIPT.search(text), "move the script to a static file"
    assert not HANDLER.search(text), "use a data attribute handled in app.js"
    assert "javascript:" not in text
    assert 'style="' not in text, "use a class in app.css"
    for block in re.findall(r"<style[^>]*>", text):
        assert "request.csp_nonce" in block, "a <style> block carries the request's nonce"


def _production_settings(**env) -> list[str]:
    code = ("import config.settings.production as s; "
            "print(s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, "
            "s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_PROXY_SSL_HEADER[0], "
            "s.CONTENT_SECURITY_POLICY['DIRECTIVES']['frame-ancestors'])")
    clean = {k: v for k, v in os.environ.items()
             if not k.startswith("AIMS_") and k != "DJANGO_SETTINGS_MODULE"}
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                          env={**clean, "AIMS_SECRET_KEY": "k" * 50, **env}, timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout.split(maxsplit=5)


def test_production_over_https_sends_hsts_with_subdomains():
    seconds, subdomains, session, csrf, proxy, frames = _production_settings(AIMS_HTTPS="1")
    assert int(seconds) >= 31536000 and subdomains == "True"
    assert (session, csrf, proxy) == ("True", "True", "HTTP_X_FORWARDED_PROTO")
    assert "'none'" in frames
