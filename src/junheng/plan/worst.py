"""``min-worst --budget B``: the smallest worst CV/threshold ratio within B 元 (docs/plan.md §10).

The worst ratio of a plan (:func:`worst_ratio`, :func:`engine_ratio`):
* quality-2017 (every indicator tested): max over levels and indicators of CV_k / c_level
  (c = 0.50 primary, 0.45 junior; docs/rules.md);
* basic-2012 (composite tested): max over levels of composite / C_level (0.65 / 0.55).
A ratio ≤ 1 means every CV condition holds.

How it is solved (quasi-convex: for a fixed ratio r the condition S_k(y) ≤ r·c_k·x̄_k(y) is a
second-order cone, plan/cone.py):
1. :class:`Frontier` C(r): the least cost, decisions continuous, of a worst ratio ≤ r (Clarabel
   through cvxpy, r a cvxpy Parameter so the program is compiled once per county; values cached).
   C is non-increasing in r. Regula falsi (Illinois) on C(r) = B brackets the continuous optimum
   r° between ``lo`` (C(lo) > B: no plan, whole or fractional, reaches lo within B — a proven
   lower bound under quality-2017) and ``hi`` (C(hi) ≤ B), to a relative width of 5e-3.
2. Whole numbers from the continuous plan at ``hi``: rounded down, then rounded up by largest
   fraction while the budget allows; or rounded up, then trimmed (while over the budget, the
   chunk of one decision whose removal leaves the smallest worst ratio is taken off); then, while money is left, the unit with the lowest value of
   the worst indicator is raised towards the next value up by its cheapest decision (kept only
   when it lowers the worst ratio within B). The best of these and of a given start plan (the
   previous point of a curve) is kept.
basic-2012's composite is not convex: each CV is capped at r·CV_k(now)·C/composite(now) (so the
composite ≤ r·C); plans are feasible, no bound is claimed (NaN).
Pure: arrays in, a WorstSolution out.
"""
from __future__ import annotations

import math
import time
from dataclasses import dataclass

import cvxpy as cp
import numpy as np
from scipy import sparse

from ..core.result import CountyResult
from ..rules.loader import RulePack
from .model import CountyModel
from .solve import cv_stats

#: Relative width of the bracket [lo, hi] at which the continuous search stops.
TOL = 5e-3
#: Most evaluations of C(r) per budget.
MAX_EVALS = 8
#: Fractions of a unit below this in the continuous plan are not rounded up (solver crumbs).
CRUMB = 0.05
#: Most single raises when spending what rounding left of the budget.
MAX_RAISES = 400


@dataclass
class WorstSolution:
    """One ``min-worst`` solve. status: ``optimal`` (no decision fits the budget, or the bound is
    met) | ``feasible``; y: whole-number decisions (n_vars,); cost: 元 (Σ cost·y ≤ budget); ratio:
    the plan's worst CV/threshold ratio; bound: a proven lower bound of the least worst ratio
    within the budget (NaN when none is claimed, basic-2012); gap: (ratio − bound) / ratio."""

    status: str
    y: np.ndarray
    cost: float
    ratio: float
    bound: float
    gap: float
    seconds: float = 0.0


def _coefs(model: CountyModel, rules: RulePack) -> dict[tuple[str, str], float]:
    """Per (level, indicator code) the factor c' with cap = r·c' (module docstring); indicators
    whose CV is undefined now (mean 0) or 0 under basic-2012 are left out."""
    disp = rules.dispersion
    codes = [i.code for i in rules.indicators]
    if disp.test == "each":
        return {(lv, k): disp.cv_threshold.get(lv) for lv in model.groups for k in codes}
    out = {}
    y0 = np.zeros(len(model.vars))
    for lv in model.groups:
        cvs = {k: cv_stats(model, y0, k, lv)[2] for k in codes}
        comp = sum(cvs.values()) / len(cvs)
        if not math.isfinite(comp) or comp <= 0:
            continue
        limit = disp.composite_threshold.get(lv)
        out.update({(lv, k): cv * limit / comp for k, cv in cvs.items() if cv > 0})
    return out


class Ratios:
    """Fast worst ratios of one county's plans: per (level, indicator) the rows of A, the weights
    and the values now, taken once (cv_stats slices the matrices on every call)."""

    def __init__(self, model: CountyModel, rules: RulePack):
        disp = rules.dispersion
        self.each = disp.test == "each"
        self.cost = np.array([v.cost for v in model.vars])
        self.parts = []
        for lv, g in model.groups.items():
            w = model.weights[g] / model.weights[g].sum()
            thr = disp.cv_threshold.get(lv) if self.each else disp.composite_threshold.get(lv)
            self.parts.append((lv, thr, [(i.code, model.x0[i.code][g], model.A[i.code][g].tocsr(), w)
                                         for i in rules.indicators]))

    def state(self, y: np.ndarray) -> "_State":
        """Indicator values, weighted means and variances per (level, indicator code) after
        decisions y, stacked (:meth:`_stack`): the starting point of :meth:`worst_moved_many`."""
        st = self._stack()
        x = st["x0"] + st["M"] @ y
        mean = st["W"] @ x
        c = x - mean[st["block"]]
        var = np.maximum(0.0, st["W"] @ (c * c))
        return _State(mean, var, c)

    def _stack(self) -> dict:
        """Every (level, indicator) block of A stacked in one CSC matrix M (rows: the units of each
        block in turn), their values now x0, W (blocks × rows: the weights of each block in its
        rows) and the block of each row; built once."""
        if getattr(self, "_st", None) is None:
            keys = [(lv, code) for lv, _, inds in self.parts for code, *_ in inds]
            blocks = [(x0, A, w) for _, _, inds in self.parts for _, x0, A, w in inds]
            n = sum(len(x0) for x0, _, _ in blocks)
            W = np.zeros((len(keys), n))
            block = np.zeros(n, dtype=np.int64)
            at = 0
            for b, (x0, _, w) in enumerate(blocks):
                W[b, at:at + len(x0)] = w
                block[at:at + len(x0)] = b
                at += len(x0)
            self._st = {"keys": keys, "M": sparse.vstack([A for _, A, _ in blocks]).tocsc(),
                        "x0": np.concatenate([x0 for x0, _, _ in blocks]), "W": W, "block": block,
                        "w": W.sum(axis=0),
                        "levels": [(thr, [keys.index((lv, code)) for code, *_ in inds])
                                   for lv, thr, inds in self.parts]}
        return self._st

    @staticmethod
    def _cv(x: np.ndarray, w: np.ndarray) -> float:
        """CV of values x with weights w (core/dispersion.py: population form, weights P_u / P);
        inf when the mean is 0."""
        mean = float(w @ x)
        v = x - mean
        s = math.sqrt(max(0.0, float(w @ (v * v))))
        return s / mean if mean > 0 else math.inf

    def cvs(self, y: np.ndarray) -> dict[tuple[str, str], float]:
        """CV per (level, indicator code) after decisions y."""
        return {(lv, code): self._cv(x0 + A @ y, w) for lv, _, inds in self.parts for code, x0, A, w in inds}

    def _worst_of(self, cvs: dict[tuple[str, str], float]) -> tuple[float, tuple[str, str] | None]:
        best, key = 0.0, None
        for lv, thr, inds in self.parts:
            vals = [cvs[(lv, code)] for code, *_ in inds]
            r = (max(vals) if self.each else sum(vals) / len(vals)) / thr
            if r > best or key is None:
                best, key = r, (lv, inds[int(np.argmax(vals))][0])
        return best, key

    def worst(self, y: np.ndarray) -> tuple[float, tuple[str, str] | None]:
        """(worst ratio, the (level, indicator) holding it — under basic-2012 the largest CV of the
        worst level)."""
        return self._worst_of(self.cvs(y))

    def worst_moved_many(self, st: "_State", js: np.ndarray, deltas: np.ndarray) -> np.ndarray:
        """The worst ratio after decision js[i] alone changes by deltas[i] from the plan of state
        ``st`` (:meth:`state`), for every i at once: (len(js),). Per (level, indicator), with D the
        change of the values (units × candidates) and δ = w·D, the centred update of the weighted
        variance: var' = var + 2·w·((x − x̄) D) + w·D² − δ², x̄' = x̄ + δ (exact in real arithmetic:
        the CV of the moved values, core/dispersion.py, up to rounding; an indicator a decision
        does not move keeps its variance bit for bit)."""
        k = self._stack()
        js = np.asarray(js, dtype=np.int64)
        if not len(js):
            return np.zeros(0)
        D = (k["M"][:, js] @ sparse.diags(np.asarray(deltas, dtype=float))).tocoo()  # only what moves
        wr = k["w"][D.row]
        at = k["block"][D.row] * len(js) + D.col
        shape = (len(k["keys"]), len(js))

        def sums(v: np.ndarray) -> np.ndarray:  # per (block, candidate)
            return np.bincount(at, weights=v, minlength=shape[0] * shape[1]).reshape(shape)

        dm = sums(wr * D.data)
        var = np.maximum(0.0, st.var[:, None] + 2 * sums(wr * st.c[D.row] * D.data) + sums(wr * D.data * D.data)
                         - dm * dm)
        m = st.mean[:, None] + dm
        with np.errstate(divide="ignore", invalid="ignore"):
            cv = np.where(m > 0, np.sqrt(var) / m, np.inf)
        worst = np.zeros(len(js))
        for thr, rows in k["levels"]:
            part = cv[rows]
            worst = np.maximum(worst, (part.max(axis=0) if self.each else part.mean(axis=0)) / thr)
        return worst


@dataclass
class _State:
    """A plan's weighted mean and variance of each (level, indicator) block (blocks,), and its
    stacked indicator values less the mean of their block, c = x − x̄ (rows of Ratios._stack)."""

    mean: np.ndarray
    var: np.ndarray
    c: np.ndarray


def worst_ratio(model: CountyModel, rules: RulePack, y: np.ndarray) -> float:
    """The worst CV/threshold ratio (module docstring) of the county after decisions y, from the
    model (the engine's formulas, core/dispersion.py); inf when a mean is 0."""
    return Ratios(model, rules).worst(y)[0]


def worst_item(c: CountyResult) -> tuple[str, str, float, float] | None:
    """The CV farthest above (or nearest to) its standard in a county's engine result (CountyResult
    of core/assess.py): (level code, indicator code — ``composite`` for basic-2012's composite —,
    cv, threshold), the largest cv/threshold over levels and tested indicators; None when the
    county has no level or a tested CV is undefined."""
    best = None
    for level, lr in c.levels.items():
        tested = [("composite", lr.composite_cv, lr.composite_threshold)] if lr.composite_threshold is not None else []
        tested += [(code, s.cv, s.threshold) for code, s in lr.indicators.items() if s.threshold is not None]
        for code, cv, thr in tested:
            if cv is None:
                return None
            if best is None or cv / thr > best[2] / best[3]:
                best = (level, code, cv, thr)
    return best


def engine_ratio(c: CountyResult) -> float | None:
    """The worst CV/threshold ratio of a county from the engine's own result: max over levels of
    cv/threshold per indicator (quality-2017) or composite/threshold (basic-2012), see
    :func:`worst_item`; None when the county has no level or a CV is undefined."""
    w = worst_item(c)
    return None if w is None else w[2] / w[3]


class Frontier:
    """C(r), the least cost (元, decisions continuous, within the limits) of a worst ratio ≤ r,
    for one county; evaluations cached (:attr:`seen`: r → (cost, y, proven), cost inf when no plan)."""

    def __init__(self, model: CountyModel, rules: RulePack):
        self.model, self.rules = model, rules
        self.coefs = _coefs(model, rules)
        self.proven = rules.dispersion.test == "each"
        self.seen: dict[float, tuple[float, np.ndarray | None, bool]] = {}
        m = len(model.vars)
        cost = np.array([v.cost for v in model.vars])
        self.cost = cost
        self.scale = 1e4 / np.maximum(cost, 1e-6)  # decisions in 万元 of cost each (numbers near 1)
        yh = cp.Variable(m)
        y = cp.multiply(self.scale, yh)
        self.r = cp.Parameter(nonneg=True)
        ub = np.array([v.upper for v in model.vars])
        fin = np.isfinite(ub)
        cons = [yh >= 0] + ([yh[np.flatnonzero(fin)] <= ub[fin] / self.scale[fin]] if fin.any() else [])
        if model.rows:
            r_i = [r for r, (idx, _, _, _) in enumerate(model.rows) for _ in idx]
            c_i = [j for idx, _, _, _ in model.rows for j in idx]
            vals = [a for _, coef, _, _ in model.rows for a in coef]
            M = sparse.csr_matrix((vals, (r_i, c_i)), shape=(len(model.rows), m))
            cons.append(M @ y <= np.array([hi for _, _, hi, _ in model.rows]))
        for (lv, code), c in self.coefs.items():
            g = model.groups[lv]
            w = model.weights[g] / model.weights[g].sum()
            unit = float(w @ model.x0[code][g]) or 1.0  # values in units of the mean now: well scaled
            x = (model.x0[code][g] + model.A[code][g] @ y) / unit
            mean = cp.Variable()
            cons += [mean == w @ x, cp.norm(cp.multiply(np.sqrt(w), x - mean), 2) <= c * self.r * mean]
        self.yh = yh
        self.prob = cp.Problem(cp.Minimize(cp.sum(yh)), cons)

    def __call__(self, r: float) -> tuple[float, np.ndarray | None, bool]:
        """(cost in 元, the continuous plan, proven): C(r) and its plan when solved to optimality;
        (inf, None, True) when no plan reaches r; an inaccurate optimum gives its plan's cost,
        proven False (used as a plan — rounded and checked by the engine — never as a bound);
        (NaN, None, False) when the solver failed."""
        if r in self.seen:
            return self.seen[r]
        self.r.value = r
        try:
            self.prob.solve(solver=cp.CLARABEL, tol_gap_abs=1e-7, tol_gap_rel=1e-7)
            st = self.prob.status
        except cp.error.SolverError:
            st = None
        if st == cp.INFEASIBLE:
            out = (math.inf, None, True)
        elif st in (cp.OPTIMAL, cp.OPTIMAL_INACCURATE) and self.yh.value is not None:
            y = np.maximum(np.asarray(self.yh.value) * self.scale, 0.0)
            out = (float(self.cost @ y), y, st == cp.OPTIMAL)
        else:
            out = (math.nan, None, False)
        self.seen[r] = out
        return out

    def bracket(self, budget: float, r_now: float, tol: float = TOL) -> tuple[float, float, np.ndarray | None]:
        """(bound, hi, y at hi): no plan, even fractional, within the budget reaches ``bound`` (C
        proven > budget there; 0 when none was), C(hi) ≤ budget with plan y; the search stops when
        hi − lo ≤ tol·hi or MAX_EVALS are spent. y None when hi is r_now itself (no decisions)."""
        ok = [(r, v[1]) for r, v in self.seen.items() if v[0] <= budget and v[1] is not None]
        hi, y_hi = min(ok, key=lambda t: t[0]) if ok else (r_now, None)
        dear = [r for r, v in self.seen.items() if v[0] > budget and r < hi]  # NaN compares False
        lo = max(dear) if dear else 0.0
        f_lo = self.seen[lo][0] - budget if dear else math.inf
        f_hi = (self.seen[hi][0] if hi in self.seen else 0.0) - budget
        side = 0
        for _ in range(MAX_EVALS):
            if hi - lo <= tol * hi:
                break
            if math.isfinite(f_lo) and lo > 0:  # Illinois step on C(r) − B (decreasing in r)
                r = hi - f_hi * (hi - lo) / (f_hi - f_lo)
                r = min(max(r, lo + 0.05 * (hi - lo)), hi - 0.05 * (hi - lo))
            else:
                r = lo + 0.5 * (hi - lo) if lo > 0 else 0.5 * hi
            c, y, _ = self(r)
            if math.isnan(c):  # the solver failed here: a plain halving of the bracket instead
                r = lo + 0.5 * (hi - lo)
                c, y, _ = self(r)
                if math.isnan(c):
                    break
            if c <= budget:
                hi, y_hi, f_hi = r, y, c - budget
                if side == 1:
                    f_lo /= 2
                side = 1
            else:
                lo, f_lo = r, c - budget
                if side == -1:
                    f_hi /= 2
                side = -1
        proven = [r for r, (c, _, sure) in self.seen.items() if sure and c > budget and r < hi]
        return (max(proven) if proven else 0.0), hi, y_hi


def _rounded(cost: np.ndarray, ub: np.ndarray, y: np.ndarray, budget: float) -> list[np.ndarray]:
    """Whole-number candidates from a continuous plan within the budget: rounded down; and rounded
    down then up by the largest fractions while the budget allows."""
    down = np.minimum(np.floor(y + 1e-9), ub)
    out = [down]
    frac = y - down
    up = down.copy()
    left = budget - float(cost @ down)
    for j in np.argsort(-frac):
        if frac[j] <= 1e-9:
            break
        if cost[j] <= left and up[j] + 1 <= ub[j]:
            up[j] += 1
            left -= cost[j]
    out.append(up)
    return out


def _trim(model: CountyModel, ratios: Ratios, y: np.ndarray, budget: float) -> np.ndarray | None:
    """From a plan over the budget (the continuous plan rounded up): while over, take off the one
    chunk — of the decision, the quantity that alone would bring the cost within the budget, at
    most all of it — that leaves the smallest worst ratio. None when the limits are broken."""
    cost = ratios.cost
    y = y.copy()
    for _ in range(50):
        excess = float(cost @ y) - budget
        if excess <= 0:
            return y if _rows_ok(model, y) else None
        js = np.flatnonzero(y)
        ds = np.array([min(y[j], math.ceil(excess / cost[j] - 1e-12)) if cost[j] > 0 else 0 for j in js])
        js, ds = js[ds > 0], ds[ds > 0]
        if not len(js):
            return None
        r = ratios.worst_moved_many(ratios.state(y), js, -ds)
        i = int(np.argmin(r))  # the first of equal ratios, as a scan in decision order keeps
        y[js[i]] -= ds[i]
    return None


def _rows_ok(model: CountyModel, y: np.ndarray) -> bool:
    """y keeps the shared limits of model.rows (one sparse product, kept on the model)."""
    if not model.rows:
        return True
    M = getattr(model, "_rows_matrix", None)
    if M is None:
        r_i = [r for r, (idx, _, _, _) in enumerate(model.rows) for _ in idx]
        c_i = [j for idx, _, _, _ in model.rows for j in idx]
        vals = [a for _, coef, _, _ in model.rows for a in coef]
        M = (sparse.csr_matrix((vals, (r_i, c_i)), shape=(len(model.rows), len(model.vars))),
             np.array([hi for _, _, hi, _ in model.rows]))
        model._rows_matrix = M
    return bool((M[0] @ y <= M[1] + 1e-9).all())


def _raise(A: sparse.csr_matrix, x: float, u: int, y: np.ndarray, cost: np.ndarray, ub: np.ndarray,
           target: float) -> tuple[int, int] | None:
    """(decision, quantity): the cheapest whole quantity of one decision bringing row u of A (value
    x now) to ``target`` within the limits; None when none can (plan/cone.cheapest_raise, on a
    row slice)."""
    best = None
    for p in range(A.indptr[u], A.indptr[u + 1]):
        j, a = A.indices[p], A.data[p]
        if a <= 0:
            continue
        q = max(1, math.ceil((target - x) / a - 1e-12))
        if y[j] + q > ub[j]:
            continue
        if best is None or q * cost[j] < best[0]:
            best = (q * cost[j], j, q)
    return None if best is None else (best[1], best[2])


def spend_rest(model: CountyModel, rules: RulePack, y: np.ndarray, budget: float,
               ratios: Ratios | None = None) -> np.ndarray:
    """While money is left: raise the lowest unit of the worst indicator towards the next value up
    by its cheapest decision, kept only when the worst ratio falls and the plan stays within the
    budget and the limits (module docstring, step 2)."""
    ratios = ratios or Ratios(model, rules)
    mats = {(lv, code): (x0, A, w) for lv, _, inds in ratios.parts for code, x0, A, w in inds}
    cost = np.array([v.cost for v in model.vars])
    ub = np.array([v.upper for v in model.vars])
    y = y.copy()
    spent = float(cost @ y)
    best, key = ratios.worst(y)
    for _ in range(MAX_RAISES):
        if key is None:
            return y
        x0, A, w = mats[key]
        x = x0 + A @ y
        mean = float(w @ x)
        order = np.argsort(x)
        improved = False
        for k in order[:10]:
            if x[k] >= mean:
                break
            nxt = x[order[1]] if len(order) > 1 else x[k]
            target = min(max(nxt, x[k] + 0.1 * (mean - x[k])), mean)
            step = _raise(A, float(x[k]), int(k), y, cost, ub, target)
            if step is None or spent + step[1] * cost[step[0]] > budget:
                continue
            trial = y.copy()
            trial[step[0]] += step[1]
            if not _rows_ok(model, trial):
                continue
            r, k2 = ratios.worst(trial)
            if r < best:
                y, best, key, improved = trial, r, k2, True
                spent += step[1] * cost[step[0]]
                break
        if not improved:
            return y
    return y


def _prune(ratios: Ratios, y: np.ndarray, r: float) -> np.ndarray:
    """Drop every decision (dearest first) whose removal leaves the worst ratio at most r: a
    procurement list without purchases that do not help. Scanned in that order once, as one by
    one; each round rates all the decisions left at once (:meth:`Ratios.worst_moved_many`).
    r gets a relative slack of 1e-12: the stacked sums may differ from r's in the last bits."""
    y = y.copy()
    order = np.array(sorted(np.flatnonzero(y), key=lambda j: -y[j] * ratios.cost[j]), dtype=np.int64)
    limit = r * (1 + 1e-12)
    while len(order):
        moved = ratios.worst_moved_many(ratios.state(y), order, -y[order])
        ok = np.flatnonzero(moved <= limit)
        if not len(ok):
            break
        y[order[ok[0]]] = 0.0
        order = order[ok[0] + 1:]
    return y


def min_worst(model: CountyModel, rules: RulePack, budget_yuan: float, *, frontier: Frontier | None = None,
              start: np.ndarray | None = None, tol: float = TOL) -> WorstSolution:
    """The plan with the smallest worst CV/threshold ratio costing at most ``budget_yuan`` 元
    (capital + recurring × years) for one county (module docstring). ``frontier``: a Frontier of
    this model to share evaluations between budgets (a curve); ``start``: a whole-number plan
    within the budget to improve on; ``tol``: relative width of the continuous bracket. Never raises for a lack of money: y = 0 always fits."""
    t0 = time.monotonic()
    cost = np.array([v.cost for v in model.vars])
    ub = np.array([v.upper for v in model.vars])
    zero = np.zeros(len(model.vars))
    ratios = Ratios(model, rules)
    r_now = ratios.worst(zero)[0]
    affordable = (cost <= budget_yuan) & (ub >= 1)
    if not affordable.any() or not math.isfinite(r_now):  # nothing fits: doing nothing is the only plan
        return WorstSolution("optimal", zero, 0.0, r_now, r_now, 0.0, time.monotonic() - t0)
    f = frontier or Frontier(model, rules)
    lo, hi, y_cont = f.bracket(budget_yuan, r_now, tol)
    cands = [zero] + ([start] if start is not None and float(cost @ start) <= budget_yuan else [])
    if y_cont is not None:
        rounded = _rounded(cost, ub, y_cont, budget_yuan)
        # rounded up where the continuous plan buys a real part of a unit (the solver leaves crumbs)
        rounded.append(_trim(model, ratios, np.minimum(np.ceil(y_cont - CRUMB), ub), budget_yuan))
        cands += [spend_rest(model, rules, c, budget_yuan, ratios) for c in rounded
                  if c is not None and float(cost @ c) <= budget_yuan and _rows_ok(model, c)]
    scored = [(ratios.worst(c)[0], float(cost @ c), i) for i, c in enumerate(cands)]
    r, _, i = min(scored)
    y = _prune(ratios, cands[i], r)
    r = ratios.worst(y)[0]
    c_yuan = float(cost @ y)
    bound = lo if f.proven else math.nan
    gap = max(0.0, (r - bound) / r) if math.isfinite(bound) and r > 0 else math.nan
    status = "optimal" if math.isfinite(gap) and gap <= 1e-6 else "feasible"
    return WorstSolution(status, y, c_yuan, r, bound, gap, time.monotonic() - t0)
