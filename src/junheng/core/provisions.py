"""The special provisions of the 2017 method's indicator notes (docs/rules.md §2 "Special provisions").

The one place where they are applied: :func:`apply_provisions` runs on the unit frame of
:func:`junheng.core.units.split_units`, before the indicators are computed, and adds what a
provision counts to the unit quantity (numerator) the indicator divides by pupils:

* ``visiting_pe_art_teachers`` → ``pe_art_teachers`` (``pe_art_teachers_per_100``): PE and art
  teachers coming by rotation, part-time posts or itinerant teaching (走教), counted at rural
  small-scale schools and teaching points whose pupils are in the band [min_students, max_students);
* ``extra_sports_area`` → ``sports_area`` (``sports_area_per_student``): converted spaces and
  rented venues, counted for schools flagged 中心城区, split between sections like the sports
  ground (the unit's ``share`` when ``sports_ground_m2`` is a split resource).

Settings: ``RulePack.provisions`` (rules/loader.py); a provision absent from the pack (basic-2012)
does nothing. The effect stays in the unit frame, per provision code ``p``:

* ``p_given``: the amount in the data for this unit (teachers of the section; ㎡ × share);
* ``p_added``: the amount counted (0 unless the status is ``counted``);
* ``p_status``: null when nothing was given or the pack has no such provision, else ``counted``,
  ``disabled`` (setting off), ``size_out_of_band``, ``not_rural`` or ``not_central_urban``;
* ``p_basis``: why the school counted as rural (``rural_code``, ``code_missing``,
  ``teaching_point``), null otherwise (visiting teachers only);
* ``p_size``: the pupils compared with the band (school or unit, per ``size_basis``; visiting
  teachers only, null when the pack has no such provision);
* ``p_delta``: the change of the indicator, ``p_added`` × per / pupils (indicator unit).

Pure: frames in, frames out; status codes, no display wording.
"""
from __future__ import annotations

import polars as pl

from ..rules.loader import PROVISION_NUMERATORS, RulePack

#: Provision codes in display order.
PROVISION_CODES = tuple(PROVISION_NUMERATORS)
#: Raw columns split_units carries for this module (dropped after use).
RAW_COLUMNS = ("visiting_pe_art_teachers", "extra_sports_m2", "central_urban", "school_students")
#: Status codes of a provision on a unit (see module docstring).
STATUSES = ("counted", "disabled", "size_out_of_band", "not_rural", "not_central_urban")


def _visiting(rules: RulePack) -> tuple[pl.Expr, pl.Expr, pl.Expr, pl.Expr]:
    """(given, status, basis, size) expressions of the visiting-teacher provision."""
    given = pl.col("visiting_pe_art_teachers").fill_null(0).cast(pl.Float64)
    st = rules.provisions.visiting_pe_art_teachers
    if st is None:
        return given, pl.lit(None, pl.Utf8), pl.lit(None, pl.Utf8), pl.lit(None, pl.Int64)
    pupils = pl.col("school_students") if st.size_basis == "school" else pl.col("students")
    in_band = (pupils >= st.min_students) & (pupils < st.max_students)
    code = pl.col("urban_rural_code")
    by_code = pl.any_horizontal([code.str.starts_with(p) for p in st.rural_code_prefixes] or [pl.lit(False)])
    basis = pl.when(pl.lit(st.teaching_points_rural) & (pl.col("category") == "teaching_point")).then(
        pl.lit("teaching_point"))
    basis = basis.when(code.is_null() & pl.lit(st.rural_if_code_missing)).then(pl.lit("code_missing"))
    basis = basis.when(code.is_not_null() & by_code.fill_null(False)).then(pl.lit("rural_code"))
    basis = basis.otherwise(pl.lit(None, pl.Utf8))
    status = (
        pl.when(given <= 0).then(pl.lit(None, pl.Utf8))
        .when(pl.lit(not st.enabled)).then(pl.lit("disabled"))
        .when(~in_band).then(pl.lit("size_out_of_band"))
        .when(basis.is_null()).then(pl.lit("not_rural"))
        .otherwise(pl.lit("counted"))
    )
    basis = pl.when(status == "counted").then(basis).otherwise(pl.lit(None, pl.Utf8))
    return given, status, basis, pupils.cast(pl.Int64)


def _extra_area(rules: RulePack) -> tuple[pl.Expr, pl.Expr]:
    """(given, status) expressions of the extra sports-area provision."""
    whole = pl.col("extra_sports_m2").fill_null(0).cast(pl.Float64)
    given = whole * pl.col("share") if "sports_ground_m2" in rules.split.resources else whole
    st = rules.provisions.extra_sports_area
    if st is None:
        return given, pl.lit(None, pl.Utf8)
    status = (
        pl.when(given <= 0).then(pl.lit(None, pl.Utf8))
        .when(pl.lit(not st.enabled)).then(pl.lit("disabled"))
        .when(pl.col("central_urban").fill_null("") != "是").then(pl.lit("not_central_urban"))
        .otherwise(pl.lit("counted"))
    )
    return given, status


def apply_provisions(units: pl.DataFrame, rules: RulePack) -> pl.DataFrame:
    """Apply the pack's special provisions to a unit frame (docs/rules.md §2).

    units: output of :func:`junheng.core.units.split_units` (it carries :data:`RAW_COLUMNS`:
    the section's visiting PE/art teachers, the school's extra sports area ㎡ and 中心城区 flag
    ``是``/``否``, and the school's compulsory pupils). Returns the frame with the numerators
    ``pe_art_teachers`` and ``sports_area`` increased by what is counted and the per-provision
    columns ``<p>_given``, ``<p>_added``, ``<p>_status``, ``<p>_basis`` and ``<p>_size`` (visiting teachers),
    ``<p>_delta`` (see the module docstring); the raw columns are dropped.
    """
    v_given, v_status, v_basis, v_size = _visiting(rules)
    a_given, a_status = _extra_area(rules)
    units = units.with_columns(
        v_given.alias("visiting_pe_art_teachers_given"), v_status.alias("visiting_pe_art_teachers_status"),
        v_basis.alias("visiting_pe_art_teachers_basis"), v_size.alias("visiting_pe_art_teachers_size"),
        a_given.alias("extra_sports_area_given"), a_status.alias("extra_sports_area_status"),
    )
    added, deltas = [], []
    for p, num in PROVISION_NUMERATORS.items():
        add = pl.when(pl.col(f"{p}_status") == "counted").then(pl.col(f"{p}_given")).otherwise(0.0)
        added.append(add.alias(f"{p}_added"))
        per = next((i.per for i in rules.indicators if i.numerator == num), 1)
        deltas.append((pl.col(f"{p}_added") * per / pl.col("students")).alias(f"{p}_delta"))
    units = units.with_columns(added).with_columns(deltas)
    units = units.with_columns(pl.col(num) + pl.col(f"{p}_added") for p, num in PROVISION_NUMERATORS.items())
    return units.drop(RAW_COLUMNS)
