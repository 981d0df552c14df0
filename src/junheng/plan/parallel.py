"""A province's plans in parallel worker processes (``junheng plan … --jobs N``; docs/plan.md "A province in parallel").

Counties share nothing in any objective, so each county's rows of the school table are planned
in a worker (report/workers.worker_pool: ``spawn``, workers die with this process) by the same
:func:`plan.run.plan`, and proven there by the engine. Here the whole table is assessed before
and after every county's actions (the same engine run as in one process), so the result — and
the JSON written from it — is the one ``--jobs 1`` gives; a county whose verdict differs from its
worker's proof is an error (verify.PlanNotConfirmed).
"""
from __future__ import annotations

import os
from concurrent.futures import as_completed

import polars as pl

from ..core.assess import assess
from ..core.units import county_key
from ..report.workers import worker_pool
from ..rules.loader import RulePack
from .costs import CostTable, Limits
from .run import PlanResult, plan
from .verify import PlanNotConfirmed, apply_actions


#: Tasks per worker process.
CHUNKS = 4


def _job(args: tuple) -> tuple[list, dict, tuple]:
    table, rules, costs, limits, kw = args
    p = plan(table, rules, costs, limits, **kw)
    return (p.counties, {c.county_key: (c.passed, c.units_failed) for c in p.after.counties},
            (p.objective, p.years, p.strict, p.budget_yuan, p.notes), p.curves)


def plan_parallel(table: pl.DataFrame, rules: RulePack, costs: CostTable, limits: Limits, *, jobs: int | None = None,
                  progress=None, **kw) -> PlanResult:
    """:func:`plan.run.plan` of every county of ``table`` in ``jobs`` worker processes (default
    ``os.cpu_count()``; 1, or a single county, plans in this process). kw: the keyword
    arguments of run.plan (objective, years, strict, time_limit, budget_yuan). progress: called
    as ``progress(done, total)`` when a county is done. Raises as run.plan (a worker's exception
    is re-raised here) and PlanNotConfirmed when the whole-table re-assessment disagrees with a
    worker's."""
    keys = table.select(county_key(table.columns).alias("_k"))["_k"].unique(maintain_order=True).to_list()
    workers = max(1, min(jobs or os.cpu_count() or 1, len(keys)))
    if workers == 1:
        return plan(table, rules, costs, limits, **kw)
    # CHUNKS tasks per worker, counties dealt out largest first: the engine runs of the model
    # (one per item) are few and large, and a slow county does not hold up the rest
    keyed = table.with_columns(county_key(table.columns).alias("_k"))
    sizes = dict(keyed.group_by("_k").len().iter_rows())
    groups: list[list[str]] = [[] for _ in range(min(len(keys), workers * CHUNKS))]
    load = [0] * len(groups)
    for k in sorted(keys, key=lambda k: -sizes[k]):
        g = load.index(min(load))
        groups[g].append(k)
        load[g] += sizes[k]
    args = [(keyed.filter(pl.col("_k").is_in(g)).drop("_k"), rules, costs, limits, kw) for g in groups if g]
    done: dict[str, object] = {}
    claimed: dict[str, tuple] = {}
    curves: dict = {}
    tick = progress or (lambda n, total: None)
    with worker_pool(workers) as pool:
        futures = [pool.submit(_job, a) for a in args]
        for n, fut in enumerate(as_completed(futures), start=1):
            counties, verdicts, meta, more = fut.result()
            curves.update(more)
            done.update({c.county_key: c for c in counties})
            claimed.update(verdicts)
            tick(n, len(futures))
    before = assess(table, rules)
    counties = [done[c.county_key] for c in before.counties]
    after = assess(apply_actions(table, [a for c in counties for a in c.actions]), rules)
    for c in after.counties:
        if claimed.get(c.county_key) != (c.passed, c.units_failed):
            raise PlanNotConfirmed(f"county {c.county_key}: the whole-table re-assessment differs from the worker's")
    objective, years, strict, budget, notes = meta
    return PlanResult(rules, objective, years, strict, costs, counties, before, after, list(notes), budget, curves)
