"""No internal code reaches a person (ARCHITECTURE.md, *Words*).

Every HTML page in the URL conf — list pages, and detail pages opened with a real record
of the page's model that the user may see — is rendered for one user of each role (and
for a visitor, on public pages) over the test county (`world`, with each app's
`testing.py` records). The page's *visible text* (a real HTML parser: no script, style,
attributes, nor text inside an `.admin-only` element, where an administrator may see a
code as secondary small text) must not contain:
- a workflow state, action, audit action, rule or setting code from the label registry
  (core.labels), as a word of its own;
- ``None``, a dict repr (``{'``), django's empty choice ``---------``;
- ``未知`` as an option of a select (filters say 全部).
A code the registry does not know, met while rendering, is logged by core.labels: that
fails the test too. Failures name the page and the role.
"""

import logging
import re
import time
from html.parser import HTMLParser

import pytest
from django.test import Client

from tests.conftest import make_user
from tests.core.test_scoping_walk import (
    declared_model,
    fill,
    html_routes,
    is_global,
    is_public,
    route_kwargs,
)
from yifa.core import labels
from yifa.orgs.models import Role

pytestmark = [pytest.mark.pages, pytest.mark.django_db]

SKIPPED_TAGS = {"script", "style", "template", "noscript"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"}
WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*")


class VisibleText(HTMLParser):
    """Text nodes a person sees, and the options of each select."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool]] = []  # (tag, hidden)
        self.texts: list[str] = []
        self.options: list[str] = []

    def _hidden(self):
        return bool(self.stack) and self.stack[-1][1]

    def handle_starttag(self, tag, attrs):
        if tag in VOID:
            return
        attrs = dict(attrs)
        hidden = (self._hidden() or tag in SKIPPED_TAGS or "admin-only" in (attrs.get("class") or "").split()
                  or "hidden" in attrs)
        self.stack.append((tag, hidden))

    def handle_startendtag(self, tag, attrs):
        pass

    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                return

    def handle_data(self, data):
        if self._hidden() or not data.strip():
            return
        self.texts.append(data.strip())
        if any(t == "option" for t, _ in self.stack):
            self.options.append(data.strip())


def forbidden_codes() -> set[str]:
    codes = labels.all_codes()
    out = set()
    for kind in ("state", "action", "audit", "rule", "setting", "import"):
        out |= codes[kind]
    return out


def problems_of(html: str, forbidden: set[str]) -> list[str]:
    parser = VisibleText()
    parser.feed(html)
    found = []
    for text in parser.texts:
        words = set(WORD.findall(text))
        for w in sorted(words & forbidden):
            found.append(f"code {w!r} in “{text[:80]}”")
        if "None" in words:
            found.append(f"None in “{text[:80]}”")
        if "{'" in text or '{"' in text:
            found.append(f"dict in “{text[:80]}”")
        if "---------" in text:
            found.append(f"empty choice in “{text[:80]}”")
    for option in parser.options:
        if option == "未知":
            found.append("选择框选项“未知”（应为“全部”）")
    return found


def role_users(world) -> dict[str, object]:
    """One user per role (the world's where it has one) — the demo county's roles."""
    users = {
        Role.ADMIN: world.admin, Role.SUPERVISOR: world.supervisor, Role.LEADER: world.leader,
        Role.DEPARTMENT_LEGAL_OFFICER: world.dept_a_legal, Role.TOWNSHIP_LEGAL_OFFICER: world.town_a_legal,
        Role.OFFICER: world.officer_a,
    }
    for role in Role:
        if role not in users:
            users[role] = make_user(f"t_codes_{role.value}", world.justice, [role], f"{role.label}甲")
    return {Role(role).label: user for role, user in users.items()}


def urls_for(user):
    """(url, public) for every HTML page: list pages as they are, detail pages with the first
    record of the page's model the user may see."""
    out = []
    for route, pattern in html_routes():
        kwargs = route_kwargs(route)
        public = is_public(pattern.callback)
        if not kwargs:
            out.append((fill(route, ""), public))
            continue
        if len(kwargs) != 1 or kwargs[0][1] not in ("pk", "id"):
            continue
        model = declared_model(pattern.callback)
        if model is None:
            continue
        qs = model._default_manager.all() if is_global(model) or user is None else model.objects.visible_to(user)
        obj = qs.order_by("pk").first()
        if obj is not None:
            out.append((fill(route, obj.pk), public))
    return out


def test_no_internal_code_reaches_a_person(world, caplog):
    forbidden = forbidden_codes()
    assert {"served", "penalty.publicity", "review.submit", "YIFA_RECTIFICATION_MAX_UPLOAD_MB"} <= forbidden
    failures, pages = [], 0
    started = time.monotonic()
    visitors = [("访客", None), *role_users(world).items()]
    with caplog.at_level(logging.WARNING, logger="yifa.labels"):
        for role, user in visitors:
            client = Client()
            if user is not None:
                client.force_login(user)
            for url, public in urls_for(user):
                if user is None and not public:
                    continue
                caplog.clear()
                resp = client.get(url)
                if resp.status_code >= 500:
                    failures.append(f"[{role}] {url}: HTTP {resp.status_code}")
                    continue
                unknown = [r.getMessage() for r in caplog.records if r.name == "yifa.labels"]
                failures += [f"[{role}] {url}: {m}" for m in unknown]
                if resp.status_code != 200 or "text/html" not in resp.get("Content-Type", ""):
                    continue
                pages += 1
                failures += [f"[{role}] {url}: {p}" for p in problems_of(resp.content.decode(), forbidden)]
    print(f"{pages} pages rendered in {time.monotonic() - started:.1f} s")
    assert pages > 100, f"only {pages} pages rendered"
    assert not failures, f"{len(failures)} internal codes on {pages} pages:\n" + "\n".join(failures)


def test_the_checker_sees_what_a_person_sees():
    forbidden = {"served", "review.submit"}
    html = ("<p>环节：served</p><script>var s='served'</script><p title='served'>送达</p>"
            "<span class='admin-only'><code>review.submit</code></span><div>None 2026-12-03</div>"
            "<pre>变更后：{'state': 'x'}</pre><select><option>---------</option><option>未知</option></select>")
    found = problems_of(html, forbidden)
    assert found == ["code 'served' in “环节：served”", "None in “None 2026-12-03”",
                     "dict in “变更后：{'state': 'x'}”", "empty choice in “---------”", "选择框选项“未知”（应为“全部”）"]
