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
