"""What rule packs and provincial overrides exist: the TOML files found, nothing else.

A new rule pack is a ``<id>.toml`` file in ``junheng/rules``; a new province is a
``provinces/<code>.toml`` file. The command line offers exactly these (no list in code).
Light on purpose (no pydantic): the CLI builds its options from it at start-up.
"""
from __future__ import annotations

import tomllib
from importlib import resources


def _stems(folder) -> list[str]:
    return sorted(p.name[:-5] for p in folder.iterdir() if p.name.endswith(".toml") and p.is_file())


def available_packs() -> list[str]:
    """Ids of the bundled national rule packs (file stems of ``rules/*.toml``)."""
    return _stems(resources.files(__package__))


def available_provinces() -> list[str]:
    """Codes of the bundled provincial override files (stems of ``rules/provinces/*.toml``)."""
    return _stems(resources.files(__package__) / "provinces")


def pack_names() -> dict[str, str]:
    """{pack id: its ``short`` name, else its ``name``} of every bundled pack, e.g.
    ``{"basic-2012": "基本均衡"}`` (the id itself when a file does not parse; load_rules reports
    such errors)."""
    out = {}
    for pid in available_packs():
        try:
            with (resources.files(__package__) / f"{pid}.toml").open("rb") as fh:
                data = tomllib.load(fh)
            out[pid] = str(data.get("short") or data.get("name") or pid)
        except (tomllib.TOMLDecodeError, UnicodeDecodeError, OSError):
            out[pid] = pid
    return out
