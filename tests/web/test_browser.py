"""The whole year in a real browser (Playwright driving Debian's chromium, /usr/bin/chromium) against
`junheng serve --demo` on this machine: the school enters data and submits, the reviewer returns it
with a reason, the school fixes and submits again, the reviewer approves, the county administrator
freezes a snapshot, opens the assessment, generates the official reports and downloads them, and
opens the dashboard (also on a phone-sized screen). Screenshots of every step are saved in the
test's temporary folder (or in $JUNHENG_SCREENSHOTS) — look at them when changing a page.

Marked ``browser``: plain `pytest` leaves it out (a machine without chromium passes the README's
test command); `pytest -m browser` runs it, and there chromium is required: without it the test
FAILS (README 开发: `apt-get install chromium`; .ci/run installs it and runs `pytest -m browser`)."""
from __future__ import annotations

import os
import re
import zipfile
from pathlib import Path

import pytest

from .serving import start_demo, stop

pytestmark = pytest.mark.browser

CHROMIUM = os.environ.get("JUNHENG_CHROMIUM", "/usr/bin/chromium")
DESKTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def server(tmp_path):
    """`junheng serve --demo` on a free loopback port with its own data folder (SQLite, embedded
    report worker): (base URL, demo password); stopped by SIGTERM afterwards. Fails at once without chromium."""
    assert Path(CHROMIUM).exists(), (f"没有找到 chromium（{CHROMIUM}）：浏览器测试需要 Debian 的 chromium，"
                                     "请运行 apt-get install -y chromium（.ci/run 会安装）。")
    proc, base, log = start_demo(tmp_path)
    try:
        assert proc.poll() is None, log.read_text()
        password = re.search(r"密码均为 (\S+?)）", log.read_text())[1]
        yield base, password
    finally:
        stop(proc, timeout=30)


def test_year_in_the_browser(server, tmp_path):
    from playwright.sync_api import expect, sync_playwright

    base, password = server
    shots = Path(os.environ.get("JUNHENG_SCREENSHOTS") or tmp_path / "screenshots")
    shots.mkdir(parents=True, exist_ok=True)
    step = iter(range(1, 100))

    def shot(page, name: str, full: bool = False):
        page.screenshot(path=str(shots / f"{next(step):02d}-{name}.png"), full_page=full)

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            def login(username: str, viewport=DESKTOP):
                ctx = browser.new_context(viewport=viewport, accept_downloads=True, locale="zh-CN")
                page = ctx.new_page()
                page.goto(base + "/")
                page.fill("input[name=username]", username)
                page.fill("input[name=password]", password)
                page.click("button[type=submit]")
                expect(page.locator("header .me")).to_contain_text("退出")   # signed in
                return page

            # 1. the school enters data and submits
            school = login("school")
            shot(school, "school-home")
            school.click("table >> text=查看")
            school.click("text=填写 / 修改")
            school.fill("input[name=books]", "不是数字")
            school.click("button:text('保存')")
            expect(school.locator(".field.invalid")).to_have_count(1)   # the importer's message beside the field
            shot(school, "school-form-error")
            school.fill("input[name=books]", "12000")
            school.click("button:text('保存')")
            expect(school.locator("h1")).to_contain_text("2025 学年")
            school.click("button:text('提交审核')")
            expect(school.locator(".status")).to_have_text("已提交待审核")
            shot(school, "school-submitted")
            record_url = school.url

            # 2. the reviewer returns it with a reason
            reviewer = login("reviewer")
            reviewer.goto(record_url)
            reviewer.fill("input[name=reason]", "图书册数与上年差别过大，请核对。")
            reviewer.click("button:text('退回修改')")
            expect(reviewer.locator(".status")).to_have_text("已退回修改")
            shot(reviewer, "reviewer-returned")

            # 3. the school sees the reason, fixes and submits again
            school.goto(record_url)
            expect(school.locator("p.error")).to_contain_text("图书册数与上年差别过大")
            shot(school, "school-sees-reason")
            school.click("text=填写 / 修改")
            school.fill("input[name=books]", "10600")
            school.click("button:text('保存')")
            school.click("button:text('提交审核')")
            expect(school.locator(".status")).to_have_text("已提交待审核")

            # 4. the reviewer approves; the change is in the record's history (field, old → new)
            reviewer.goto(record_url)
            reviewer.click("button:text('审核通过')")
            expect(reviewer.locator(".status")).to_have_text("审核通过")
            expect(reviewer.locator("table").last).to_contain_text("10600")
            shot(reviewer, "reviewer-approved", full=True)

            # 5. the county administrator freezes a snapshot and opens its assessment
            county = login("county")
            county.click("text=快照与评估")
            county.fill("input[name=label]", "浏览器测试")
            county.click("button:text('冻结审核通过的数据')")
            expect(county.locator("h1")).to_contain_text("快照 #")
            shot(county, "snapshot")
            snapshot_url = county.url
            county.click("li:has-text('优质均衡') >> text=查看结果")
            expect(county.locator("h1")).to_contain_text("优质均衡")
            expect(county.locator("table").first).to_contain_text("差异系数")
            shot(county, "assessment", full=True)
            # verdicts read in black like the documents (达标 / 未达标, failing cells on grey), never red/green text
            colours = county.evaluate("() => [...document.querySelectorAll('td.ok, td.bad')].map(td => getComputedStyle(td).color)")
            assert colours and all(len(set(re.findall(r"\d+", c)[:3])) == 1 for c in colours), set(colours)

            # 6. official reports generated by the background worker, then downloaded
            county.goto(snapshot_url)
            county.select_option("select[name=pack]", "basic-2012")
            county.click("button:text('生成差异系数表、自评报告和网页版报告')")
            link = county.locator("text=下载报告")
            expect(link).to_be_visible(timeout=180_000)   # the job page refreshes itself every 2 s
            shot(county, "report-done")
            with county.expect_download() as dl:
                link.click()
            zpath = tmp_path / "reports.zip"
            dl.value.save_as(zpath)
            names = zipfile.ZipFile(zpath).namelist()
            assert any(n.endswith(".xlsx") for n in names) and any(n.endswith(".docx") for n in names), names
            assert any(n.endswith(".html") for n in names), names

            # 7. the dashboard: charts drawn, the approved school's record in the snapshot
            county.click("header >> text=仪表板")
            county.wait_for_selector("#cv-primary .plot-container", timeout=30_000)
            expect(county.locator("h1")).to_contain_text("仪表板")
            snap_id = snapshot_url.rstrip("/").rsplit("/", 1)[1]
            expect(county.locator("main p.muted").first).to_contain_text(f"数据来自快照 #{snap_id}")   # the new one
            shot(county, "dashboard")
            shot(county, "dashboard-full", full=True)
            assert county.evaluate("document.documentElement.scrollWidth") <= DESKTOP["width"]

            phone = login("inspector", PHONE)
            phone.click("header >> text=仪表板")
            phone.click("text=仪表板 >> nth=-1")
            phone.wait_for_selector("#cv-primary .plot-container", timeout=30_000)
            shot(phone, "dashboard-phone")
            assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]   # no sideways page
        finally:
            browser.close()
