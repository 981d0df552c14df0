#!/usr/bin/env python3
"""Build an offline installation bundle of junheng for a machine without Internet access.

Counties often run junheng on government intranets (麒麟 Kylin / 统信 UOS, x86_64 or aarch64)
with no access to PyPI. On any connected machine with Python ≥ 3.11 and pip, run in the
repository:

    python tools/offline_bundle.py                                   # this machine's platform
    python tools/offline_bundle.py --arch aarch64 --python 3.11      # e.g. 麒麟 V10 on 鲲鹏/飞腾
    python tools/offline_bundle.py --arch x86_64 --glibc 2.28 -o dist

It writes ``junheng-offline-<version>-cp<py>-<arch>.zip`` holding ``wheels/`` (the project's own
wheel and a binary wheel of every dependency for the chosen platform and Python, nothing
compiled on the target), ``install.sh`` (Linux) / ``install.bat`` (Windows, with ``--arch
win_amd64``) and ``README.txt``. On the target: unzip, ``sh install.sh`` — it creates a virtual
environment (default ``~/junheng-venv``), installs with ``pip install --no-index --find-links
wheels junheng`` (no network) and runs ``junheng demo`` as a check.

The project's wheel and its dependencies (pyproject.toml) are first built as wheels for this
machine (so that the few pure-Python packages published only as source, e.g. ``fire`` used by
mplfonts, become ``…-none-any`` wheels usable anywhere); the target's wheels are then chosen by ``pip download
--only-binary=:all: --platform … --python-version … --implementation cp --abi cp<py>`` for every
manylinux tag the target's glibc accepts (default glibc 2.28: 麒麟 V10, 统信 UOS 20). pip uses its
normal configuration (index URL, proxy); ``--index-url`` overrides it (e.g. a PyPI mirror).
Exit status 0 when the zip was written, 1 when pip failed (its message is shown).
"""
from __future__ import annotations

import argparse
import platform
import shutil
import subprocess
import sys
import tempfile
import tomllib
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

INSTALL_SH = """#!/bin/sh
# 均衡（junheng）离线安装：在本文件夹中运行  sh install.sh [虚拟环境目录]
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
VENV=${1:-"$HOME/junheng-venv"}
PYTHON=${PYTHON:-python3}
"$PYTHON" -c 'import sys; assert sys.version_info[:2] == (%(major)d, %(minor)d), "需要 Python %(py)s，当前为 " + sys.version.split()[0]'
"$PYTHON" -m venv "$VENV"
# only this bundle's wheels: no index, and no pip configuration of this machine (PIP_CONFIG_FILE=/dev/null)
PIP_CONFIG_FILE=/dev/null "$VENV/bin/python" -m pip install --no-index --find-links "$HERE/wheels" junheng
"$VENV/bin/junheng" demo > /dev/null
echo "安装完成：$VENV/bin/junheng（运行前可先执行 . $VENV/bin/activate）"
"""

INSTALL_BAT = """@echo off
rem 均衡（junheng）离线安装：在本文件夹中运行  install.bat [虚拟环境目录]
setlocal
set "HERE=%%~dp0"
set "VENV=%%~1"
if "%%VENV%%"=="" set "VENV=%%USERPROFILE%%\\junheng-venv"
py -%(py)s -m venv "%%VENV%%" || exit /b 1
set "PIP_CONFIG_FILE=nul"
"%%VENV%%\\Scripts\\python" -m pip install --no-index --find-links "%%HERE%%wheels" junheng || exit /b 1
"%%VENV%%\\Scripts\\junheng" demo > nul || exit /b 1
echo 安装完成：%%VENV%%\\Scripts\\junheng.exe
"""

README_TXT = """均衡（junheng）{version} 离线安装包
平台：{platform}；Python {py}（CPython）

Linux（麒麟、统信等）：  sh install.sh [虚拟环境目录，默认 ~/junheng-venv]
Windows：                install.bat [虚拟环境目录]

安装过程不访问网络（pip install --no-index --find-links wheels junheng），结束时运行
junheng demo 作为自检。目标机器须已安装相应版本的 Python（含 venv 模块；统信/麒麟上如缺少，
请安装系统软件包 python3-venv 或对应的 python3.x 包）。
"""


def platform_tags(arch: str, glibc: str) -> list[str]:
    """pip ``--platform`` tags a Linux machine of ``arch`` with glibc ``glibc`` (e.g. "2.28")
    accepts: manylinux_2_17 … manylinux_2_<minor> and the legacy aliases. Other ``arch`` values
    (``win_amd64``, ``macosx_11_0_arm64``) are returned as given."""
    if arch not in ("x86_64", "aarch64"):
        return [arch]
    major, minor = (int(x) for x in glibc.split("."))
    if major != 2 or minor < 17:
        raise SystemExit(f"不支持的 glibc 版本：{glibc}（需 2.17 及以上）")
    tags = [f"manylinux_2_{m}_{arch}" for m in range(minor, 16, -1)] + [f"manylinux2014_{arch}"]
    if arch == "x86_64":
        tags += ["manylinux2010_x86_64", "manylinux1_x86_64"]
    return tags


def _current_arch() -> str:
    if sys.platform == "win32":
        return "win_amd64"
    m = platform.machine().lower()
    return {"amd64": "x86_64", "arm64": "aarch64"}.get(m, m)


def _pip(*args: str) -> None:
    cmd = [sys.executable, "-m", "pip", *args]
    print("+", " ".join(cmd), flush=True)
    subprocess.run(cmd, check=True)


def build(out_dir: Path, arch: str, py: str, glibc: str, index_url: str | None) -> Path:
    """Build the bundle zip in ``out_dir`` and return its path (module doc)."""
    meta = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    version = meta["version"]
    pyv = py.replace(".", "")
    name = f"junheng-offline-{version}-cp{pyv}-{arch}"
    idx = ["--index-url", index_url] if index_url else []
    with tempfile.TemporaryDirectory() as tmp:
        stage = Path(tmp) / name
        wheels = stage / "wheels"
        wheels.mkdir(parents=True)
        # 1. junheng and every dependency as wheels for this machine (sdist-only packages such as
        #    mplfonts' "fire" are built here); the pure-Python ones (…-none-any) serve any target
        local, pure = Path(tmp) / "local", Path(tmp) / "pure"
        pure.mkdir()
        _pip("wheel", "--quiet", "--wheel-dir", str(local), *idx, str(ROOT))
        for whl in local.glob("*.whl"):
            if whl.name.endswith("-none-any.whl"):
                shutil.copy2(whl, pure / whl.name)
        # 2. the target's wheels: binary only, for its platform, Python and ABI
        plat = [a for t in platform_tags(arch, glibc) for a in ("--platform", t)]
        _pip("download", "--quiet", "--only-binary=:all:", *plat, "--python-version", py,
             "--implementation", "cp", "--abi", f"cp{pyv}", "--find-links", str(pure),
             "--dest", str(wheels), *idx, f"junheng=={version}")
        major, minor = (int(x) for x in py.split("."))
        fill = {"major": major, "minor": minor, "py": py}
        (stage / "install.sh").write_text(INSTALL_SH % fill, encoding="utf-8", newline="\n")
        (stage / "install.bat").write_text(INSTALL_BAT % fill, encoding="utf-8", newline="\r\n")
        (stage / "README.txt").write_text(README_TXT.format(version=version, platform=", ".join(platform_tags(arch, glibc)[:1]),
                                                            py=py), encoding="utf-8")
        out_dir.mkdir(parents=True, exist_ok=True)
        target = out_dir / f"{name}.zip"
        part = target.with_name(target.name + ".part")
        with zipfile.ZipFile(part, "w", zipfile.ZIP_STORED) as z:  # wheels are zips already
            for f in sorted(stage.rglob("*")):
                if f.is_file():
                    info = zipfile.ZipInfo.from_file(f, f"{name}/{f.relative_to(stage).as_posix()}")
                    if f.name == "install.sh":
                        info.external_attr = 0o755 << 16
                    with f.open("rb") as src, z.open(info, "w") as dst:
                        shutil.copyfileobj(src, dst)
        part.replace(target)
    return target


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="生成 junheng 离线安装包（wheels + 安装脚本，打包为 zip）")
    p.add_argument("--arch", default=_current_arch(), help="目标平台：x86_64、aarch64（Linux），或 pip 平台标签如 win_amd64；默认本机")
    p.add_argument("--python", default=f"{sys.version_info.major}.{sys.version_info.minor}", help="目标机器的 Python 版本，如 3.11；默认本机")
    p.add_argument("--glibc", default="2.28", help="目标 Linux 的 glibc 版本（麒麟 V10、统信 UOS 20 为 2.28）")
    p.add_argument("--index-url", default=None, help="PyPI 或镜像地址（默认用 pip 的配置）")
    p.add_argument("-o", "--output", type=Path, default=ROOT / "dist", help="输出文件夹（默认 dist/）")
    a = p.parse_args(argv)
    try:
        target = build(a.output, a.arch, a.python, a.glibc, a.index_url)
    except subprocess.CalledProcessError as e:
        print(f"错误：pip 运行失败（退出码 {e.returncode}），未生成离线安装包", file=sys.stderr)
        return 1
    print(f"已生成离线安装包：{target}（{target.stat().st_size / 1e6:.0f} MB）")
    return 0


if __name__ == "__main__":
    sys.exit(main())
