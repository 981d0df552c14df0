"""tools/offline_bundle.py: platform tags and the install script (the whole bundle is built,
installed with --no-index and run by .ci/run)."""
import importlib.util
from pathlib import Path

spec = importlib.util.spec_from_file_location("offline_bundle", Path(__file__).parent.parent / "tools" / "offline_bundle.py")
ob = importlib.util.module_from_spec(spec)
spec.loader.exec_module(ob)


def test_platform_tags_follow_glibc():
    tags = ob.platform_tags("aarch64", "2.28")
    assert tags[0] == "manylinux_2_28_aarch64" and "manylinux_2_17_aarch64" in tags and "manylinux2014_aarch64" in tags
    assert not any("2_29" in t or "x86_64" in t or "manylinux1" in t for t in tags)
    assert len(tags) == 13
    assert ob.platform_tags("x86_64", "2.17")[-2:] == ["manylinux2010_x86_64", "manylinux1_x86_64"]
    assert ob.platform_tags("win_amd64", "2.28") == ["win_amd64"]


def test_install_script_never_goes_online():
    sh = ob.INSTALL_SH % {"major": 3, "minor": 11, "py": "3.11"}
    assert "pip install --no-index --find-links" in sh and "PIP_CONFIG_FILE=/dev/null" in sh
    assert "/bin/junheng\" demo" in sh and "== (3, 11)" in sh
