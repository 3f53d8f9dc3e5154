"""Helpers for browser tests. The `browser` and `page` fixtures live in tests/conftest.py
(one Playwright instance per test session)."""

import os

CHROMIUM = os.environ.get("YIFA_CHROMIUM", "/usr/bin/chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]


def login(page, live_server, username, password):
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("#login-submit")


def confirm(page):
    """Answer 确定 in the confirm dialog an irreversible action opens (yifa.js)."""
    page.wait_for_selector("#confirm-dialog.show")
    page.click("#confirm-dialog-ok")


def hold_back_static(page, monkeypatch, suffix, *, seconds=30.0, until=None):
    """The live server answers a static file ending in `suffix` late: after `seconds`, or
    as soon as the event `until` is set (at most `seconds`), and the browser's cache is off
    so it asks. A page then shows its elements while that script is still loading. Returns
    the list of the paths held back."""
    import time

    from django.contrib.staticfiles.handlers import StaticFilesHandlerMixin

    serve, held = StaticFilesHandlerMixin.serve, []

    def slow(handler, request):
        if request.path.endswith(suffix):
            held.append(request.path)
            until.wait(seconds) if until is not None else time.sleep(seconds)
        return serve(handler, request)

    monkeypatch.setattr(StaticFilesHandlerMixin, "serve", slow)
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    return held
