"""``junheng sample`` usage bounds: sizes, and no silent overwrite of an existing file."""
from __future__ import annotations

import pytest
from typer.testing import CliRunner

from junheng.cli import app


@pytest.mark.parametrize("args, words", [
    (["--schools", "100000000", "--counties", "1"], "不能超过 300000"),
    (["--schools", "300001"], "不能超过 300000"),
    (["--counties", "3001", "--schools", "4000"], "不能超过 3000"),
    (["--counties", "2900"], "默认每县 106 所"),  # 2900 × 106 > 300 000
    (["--schools", "3", "--counties", "4"], "不能少于县区数"),
])
def test_out_of_bounds_is_a_usage_error(tmp_path, args, words):
    out = tmp_path / "big.xlsx"
    r = CliRunner().invoke(app, ["sample", "-o", str(out), *args])
    assert r.exit_code == 2, r.output
    assert words in r.output and "Traceback" not in r.output
    assert not out.exists()


def test_existing_file_is_kept_unless_force(tmp_path):
    out = tmp_path / "已存在的文件.csv"
    out.write_text("keep", encoding="utf-8")
    r = CliRunner().invoke(app, ["sample", "-o", str(out), "--schools", "2"])
    assert r.exit_code == 2 and "文件已存在" in r.output and "--force" in r.output
    assert out.read_text(encoding="utf-8") == "keep"
    r = CliRunner().invoke(app, ["sample", "-o", str(out), "--schools", "2", "--force"])
    assert r.exit_code == 0, r.output
    assert out.read_text(encoding="utf-8") != "keep"


def test_a_negative_seed_is_a_usage_error(tmp_path):
    """numpy refuses a negative seed: it used to end in a ValueError (exit 3)."""
    import subprocess
    import sys

    out = tmp_path / "s.xlsx"
    r = subprocess.run([sys.executable, "-m", "junheng.cli", "sample", "-o", str(out), "--seed", "-1"],
                       capture_output=True, text=True)
    assert r.returncode == 2 and "--seed" in r.stderr and "应不小于 0" in r.stderr, r.stderr
    assert not out.exists()
