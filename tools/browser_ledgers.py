"""A browser walk through the ledgers (issue 11): one 整改台账 item from creation to 已销号 and one
child from 疑似辍学 to 返校, on `junheng serve --demo`, driven by Playwright with the machine's
Chromium (no browser download). Screenshots of every step go to ``-o`` (look at them).

    python tools/browser_ledgers.py -o 截图          # exit 0: every step as expected; 1 otherwise

.ci/run runs it after pytest (installing chromium when missing). Needs the ``playwright`` package
(in the ``test`` extra) and a Chromium at /usr/bin/chromium, ``chromium`` on PATH or ``JUNHENG_CHROMIUM``.
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path



def _chromium() -> str:
    for c in (os.environ.get("JUNHENG_CHROMIUM"), shutil.which("chromium"), shutil.which("chromium-browser"),
              "/usr/bin/chromium"):
        if c and Path(c).exists():
            return c
    sys.exit("没有找到 Chromium：请安装（apt-get install chromium）或设置 JUNHENG_CHROMIUM。")


def _serve(data: Path) -> tuple[subprocess.Popen, str, str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if k not in ("JUNHENG_DATABASE_URL", "JUNHENG_JOBS_IMMEDIATE")}
    env.update(DJANGO_SETTINGS_MODULE="junheng.web.settings")
    proc = subprocess.Popen([sys.executable, "-c", "from junheng.cli import main; main()", "serve", "--demo",
                             "--data", str(data), "--port", str(port)], env=env,
                            stdout=(data.parent / "serve.log").open("w"), stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    for _ in range(240):
        try:
            urllib.request.urlopen(base + "/accounts/login/", timeout=2)
            m = re.search(r"密码均为 (\S+?)）", (data.parent / "serve.log").read_text())
            return proc, base, m.group(1)
        except OSError:
            time.sleep(0.5)
    proc.kill()
    sys.exit("junheng serve --demo 没有启动：\n" + (data.parent / "serve.log").read_text())


def walk(base: str, password: str, out: Path) -> None:
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=_chromium(), args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="zh-CN")
        n = [0]

        def shot(name: str) -> None:
            n[0] += 1
            page.screenshot(path=str(out / f"{n[0]:02d}_{name}.png"), full_page=True)

        page.goto(base + "/accounts/login/")
        page.fill("input[name=username]", "county")
        page.fill("input[name=password]", password)
        page.click("button[type=submit]")
        page.locator("header nav").get_by_role("link", name="整改台账").click()
        shot("整改台账")
        # a new item by hand → 整改中 → 已完成待核验 → 已销号
        page.fill("input[name=problem]", "学校食堂改造滞后")
        page.fill("input[name=measures]", "年底前完成改造并验收")
        page.fill("input[name=owner_unit]", "县教育体育局后勤股")
        page.fill("input[name=owner_person]", "王股长")
        page.fill("input[name=deadline]", "2099-12-31")
        page.get_by_role("button", name="添加", exact=True).click()
        expect(page.locator("h1")).to_contain_text("未开始")
        shot("事项_新建")
        page.fill("input[name=text]", "已完成招标")
        page.get_by_role("button", name="保存进展").click()
        expect(page.locator("h1")).to_contain_text("整改中")
        page.set_input_files("input[name=file]", files=[{"name": "验收报告.pdf", "mimeType": "application/pdf",
                                                         "buffer": b"%PDF-1.4\n%demo\n"}])
        page.get_by_role("button", name="上传佐证材料").click()
        expect(page.locator("body")).to_contain_text("验收报告.pdf")
        page.get_by_role("button", name="改为已完成待核验").click()
        expect(page.locator("h1")).to_contain_text("已完成待核验")
        shot("事项_待核验")
        page.get_by_role("button", name="改为已销号").click()
        expect(page.locator("h1")).to_contain_text("已销号")
        shot("事项_已销号")
        # a child from 疑似辍学 to 返校
        page.locator("header nav").get_by_role("link", name="控辍保学").click()
        shot("控辍保学_疑似辍学")
        page.click("table >> text=张小明")
        expect(page.locator("h1")).to_contain_text("疑似辍学")
        page.fill("input[name=visitors]", "乡镇长、校长、班主任")
        page.fill("input[name=outcome]", "家访，家长同意孩子返校")
        page.check("input[name=returned]")
        page.get_by_role("button", name="添加劝返记录").click()
        expect(page.locator("body")).to_contain_text("家长同意孩子返校")
        page.select_option("select[name=outcome]", "returned")
        page.select_option("select[name=school]", index=1)
        page.fill("form:has(input[value=close]) input[name=note]", "已返校就读，班主任确认")
        page.click("form:has(input[value=close]) button")
        expect(page.locator("h1")).to_contain_text("已销号")
        expect(page.locator("body")).to_contain_text("返校")
        shot("儿童_返校")
        page.locator("header nav").get_by_role("link", name="日报/周报").click()
        page.get_by_role("button", name="立即生成").click()
        expect(page.locator("body")).to_contain_text("劝返返校 1 人")
        shot("日报")
        browser.close()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-o", "--out", type=Path, default=None, help="截图文件夹（默认临时文件夹）")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="junheng-browser-"))
    out = args.out or tmp / "shots"
    out.mkdir(parents=True, exist_ok=True)
    proc, base, password = _serve(tmp / "data")
    try:
        walk(base, password, out)
    except Exception as e:  # noqa: BLE001 - the walk's failure is the tool's answer
        print(f"浏览器检查失败：{type(e).__name__}: {e}\n截图：{out}", file=sys.stderr)
        return 1
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
    print(f"浏览器检查通过；截图：{out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
