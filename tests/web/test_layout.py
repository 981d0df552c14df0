"""Page widths in a real browser (Playwright, /usr/bin/chromium) against `junheng serve --demo`: a long
value without spaces in a change history wraps in its cell (the record page stays 1366 px wide), and on
a phone (390 px) the county progress and 操作记录 tables scroll inside their box instead of widening the
page. Screenshots are saved in the test's folder (or $JUNHENG_SCREENSHOTS): look at them."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from .test_browser import CHROMIUM, DESKTOP, PHONE, server  # noqa: F401 - the fixture

pytestmark = pytest.mark.browser

WIDTH = "document.documentElement.scrollWidth"


def test_long_values_and_wide_tables_keep_the_page_width(server, tmp_path):  # noqa: F811
    from playwright.sync_api import expect, sync_playwright

    base, password = server
    shots = Path(os.environ.get("JUNHENG_SCREENSHOTS") or tmp_path / "screenshots")
    shots.mkdir(parents=True, exist_ok=True)
    reason = "请核对数据来源" + "https://example.org/" + "x" * 240
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            def login(username: str, viewport):
                page = browser.new_context(viewport=viewport, locale="zh-CN").new_page()
                page.goto(base + "/")
                page.fill("input[name=username]", username)
                page.fill("input[name=password]", password)
                page.click("button[type=submit]")
                expect(page.locator("header .me")).to_contain_text("退出")
                return page

            desk = login("reviewer", DESKTOP)
            desk.click("text=填报进度")
            progress = desk.url
            desk.locator("tr:has(.status.submitted) >> text=查看").first.click()
            record = desk.url
            desk.fill("input[name=reason]", reason)
            desk.click("button:text('退回修改')")
            expect(desk.locator("table.log")).to_contain_text("x" * 40)
            desk.screenshot(path=str(shots / "record-long-value-1366.png"), full_page=True)
            assert desk.evaluate(WIDTH) <= DESKTOP["width"]

            phone = login("reviewer", PHONE)
            for name, url in (("progress", progress), ("audit", base + "/audit/"), ("record", record)):
                phone.goto(url)
                phone.screenshot(path=str(shots / f"{name}-390.png"), full_page=False)
                assert phone.evaluate(WIDTH) <= PHONE["width"], name
                wide = phone.locator("div.scroll").first
                assert wide.evaluate("e => e.scrollWidth > e.clientWidth"), name   # the table scrolls in its box
        finally:
            browser.close()
