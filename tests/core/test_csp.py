"""Content-Security-Policy: the header is sent with no inline script allowed, and no template
carries an inline script or an on*="" event handler (they would be silently blocked)."""

import re
from pathlib import Path

import pytest

import yifa

SRC = Path(yifa.__file__).resolve().parent
SCRIPT_TAG = re.compile(r"<script\b([^>]*)>", re.I)
# an on…= attribute inside a tag (onclick=, onsubmit=, onchange= …)
HANDLER = re.compile(r"<[a-zA-Z][^>]*?\s(on[a-z]+)\s*=", re.S)
DATA_TYPES = ("application/json", "application/ld+json", "text/template")


def templates():
    return sorted(p for p in SRC.rglob("*.html") if "templates" in p.parts)


def _directives(header):
    return {part.split()[0]: part.split()[1:] for part in (p.strip() for p in header.split(";")) if part}


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/login/", "/portal/", "/"])
def test_csp_header_forbids_inline_script(path, client, world, client_for):
    c = client_for(world.supervisor) if path == "/" else client
    resp = c.get(path)
    header = resp.headers.get("Content-Security-Policy")
    assert header, f"{path} has no Content-Security-Policy"
    d = _directives(header)
    assert d["script-src"] == ["'self'"], d["script-src"]
    assert "'unsafe-inline'" not in d.get("default-src", []) and "'unsafe-eval'" not in d["script-src"]
    assert d["object-src"] == ["'none'"] and d["frame-ancestors"] == ["'none'"]


def test_templates_are_found():
    names = {p.name for p in templates()}
    assert {"base.html", "form.html", "monitoring.html"} <= names and len(names) > 50


def test_no_template_has_an_inline_script():
    offenders = []
    for path in templates():
        text = path.read_text(encoding="utf-8")
        for m in SCRIPT_TAG.finditer(text):
            attrs = m.group(1)
            if "src=" in attrs or any(t in attrs for t in DATA_TYPES):
                continue
            offenders.append(f"{path.relative_to(SRC)}:{text[:m.start()].count(chr(10)) + 1}")
    assert not offenders, f"inline <script> (move it to static/yifa/*.js): {offenders}"


def test_no_template_has_an_event_handler_attribute():
    offenders = []
    for path in templates():
        text = path.read_text(encoding="utf-8")
        for m in HANDLER.finditer(text):
            offenders.append(f"{path.relative_to(SRC)}:{text[:m.start()].count(chr(10)) + 1} {m.group(1)}")
    assert not offenders, f"on*= handlers (use data-confirm / data-autosubmit or a static script): {offenders}"


def test_the_scanner_catches_what_it_should():
    assert SCRIPT_TAG.search('<script>alert(1)</script>') and "src=" not in SCRIPT_TAG.search("<script>").group(1)
    assert HANDLER.search('<form method="post" onsubmit="return confirm(1)">')
    assert HANDLER.search('<select name="y" class="x"\n onchange="this.form.submit()">')
    assert not HANDLER.search('<input name="description" data-online="1">')
