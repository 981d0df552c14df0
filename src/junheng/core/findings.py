"""What a check found, as a code and its numbers: the core's only way to say something.

The core never words a finding (issue 13: wording out of the core). A :class:`Finding` names
what happened (``class_size.over``: a class above the limit; ``finance.columns_absent``: the
经费 sheet lacks columns …) and carries the numbers, codes and ids the sentence needs, unrounded.
``junheng.report.narrative.findings.say`` is the one place that turns a finding into Chinese,
for the console, the documents and the JSON alike (docs/json-contract.md: ``detail``,
``failures``, ``notes`` and ``reason`` are the worded findings).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Finding:
    """One finding: ``code`` (dotted, ``<check>.<what>``) and ``args`` (numbers, codes, ids,
    lists of them, or nested findings). Hashable (by code and the repr of its arguments) so
    findings can be de-duplicated like the strings they replace."""

    code: str
    args: dict[str, Any] = field(default_factory=dict)

    def __hash__(self) -> int:
        return hash((self.code, repr(sorted(self.args.items()))))

    def __getitem__(self, key: str) -> Any:
        return self.args[key]


def finding(code: str, **args: Any) -> Finding:
    """``Finding(code, args)`` written as keywords: ``finding("class_size.over", size=48, limit=45)``."""
    return Finding(code, args)
