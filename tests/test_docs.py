"""The method documentation under docs/ matches the code: generated blocks are current, the JSON
contract's example has the fields a real assessment writes, and the code cites only docs that exist."""
import json
import re
from pathlib import Path

import pytest

from junheng import docgen
from junheng.rules.catalog import available_packs

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"


@pytest.mark.parametrize("path", sorted(DOCS.glob("*.md")), ids=lambda p: p.name)
def test_generated_blocks_are_current(path):
    text = path.read_text(encoding="utf-8")
    new, unknown = docgen.render(text)
    assert not unknown, f"{path.name}: unknown blocks {unknown}"
    assert new == text, f"{path.name} is out of date: run python -m junheng.docgen"


def test_every_bundled_pack_and_the_schema_are_documented():
    from junheng.schema import FIELDS

    used = {n for p in DOCS.glob("*.md") for n in docgen.used_blocks(p.read_text(encoding="utf-8"))}
    assert set(docgen.blocks()) == used
    assert {f"fields {f.group}" for f in FIELDS} <= used  # a new group of columns needs its block


def test_a_changed_rule_pack_makes_the_doc_stale():
    text = (DOCS / "rules.md").read_text(encoding="utf-8")
    stale = text.replace("| 4.2 / 5.3 |", "| 4.3 / 5.3 |")
    assert stale != text and docgen.render(stale)[0] == text


def _shape_within(doc, real, path="$"):
    """Every key of the documented example exists in the real payload (placeholders '…' skipped)."""
    if isinstance(doc, dict):
        assert isinstance(real, dict), path
        for k, v in doc.items():
            if k == "…":
                continue
            assert k in real, f"{path}.{k} is documented but not written"
            if k in ("indicators", "levels", "decomposition") and isinstance(v, dict):  # keyed by code / level: check one
                name = next(iter(v))
                assert name in real[k], f"{path}.{k}.{name} is documented but not written"
                _shape_within(v[name], real[k][name], f"{path}.{k}.{name}")
                continue
            _shape_within(v, real[k], f"{path}.{k}")
    elif isinstance(doc, list) and doc and real:
        _shape_within(doc[0], real[0], f"{path}[0]")


def test_the_json_contract_example_matches_a_real_payload():
    from junheng.core import assess
    from junheng.io import read_school_table
    from junheng.report.payload import assessment_payload
    from junheng.rules import load_rules
    from junheng.sample import SAMPLE_XLSX

    text = (DOCS / "json-contract.md").read_text(encoding="utf-8")
    example, equity_example, *_ = (json.loads(m) for m in re.findall(r"```json\n(.*?)```", text, re.S))  # monitor: tests/analysis/test_monitor.py
    table = read_school_table(SAMPLE_XLSX).table
    a = assess(table, load_rules(example["rules"]))
    _shape_within(example, assessment_payload(a))
    from junheng.analysis.equity import assess_equity
    from junheng.report.console.equity import equity_payload

    q = assess(table, load_rules(equity_example["rules"]))
    _shape_within(equity_example, equity_payload(q, assess_equity(q)))
    for pid in available_packs():
        assert f"`{pid}`" in text


def test_the_code_cites_only_docs_in_the_repository():
    cited = set()
    files = [*(ROOT / "src").rglob("*.py"), *(ROOT / "src").rglob("*.toml"), *(ROOT / "tests").rglob("*.py"),
             *(ROOT / "bench").rglob("*.py"), *DOCS.glob("*.md"), ROOT / "README.md"]
    for f in files:
        text = f.read_text(encoding="utf-8")
        if f.name != "test_docs.py":
            assert not re.search(r"RULES\.md|DATA\.md|CONTRACT\.md|EQUITY\.md|shared/spec", text), f"{f} cites a spec outside the repository"
        cited |= set(re.findall(r"docs/([\w.-]+\.md)", text))
    missing = sorted(c for c in cited if not (DOCS / c).is_file())
    assert not missing, f"cited but absent: {missing}"
