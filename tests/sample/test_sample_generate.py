"""The generator: determinism, the sample county's make-up, and validity of any generated table."""
from __future__ import annotations

import polars as pl
import pytest

from junheng.sample import generate
from junheng.schema import FIELDS, LATITUDE_RANGE, LOCATION_COLUMNS, LONGITUDE_RANGE, SCHOOL_TYPES

URBAN = pl.col("urban_rural_code").is_in(["111", "112"])
RURAL = pl.col("urban_rural_code").is_in(["210", "220"])


def _n(df: pl.DataFrame, expr: pl.Expr) -> int:
    return df.filter(expr).height


def test_same_seed_same_frame():
    assert generate().equals(generate())
    assert generate(800, 7, seed=3).equals(generate(800, 7, seed=3))


def test_other_seed_other_frame(sample):
    assert not sample.equals(generate(seed=1))


def test_canonical_columns_and_dtypes(sample):
    assert sample.columns == [f.code for f in FIELDS if f.code not in LOCATION_COLUMNS]
    for f in (f for f in FIELDS if f.code not in LOCATION_COLUMNS):
        expected = {"text": pl.Utf8, "int": pl.Int64, "type": pl.Int64, "float": pl.Float64}[f.kind]
        assert sample[f.code].dtype == expected, f.code


def test_sample_types_exactly(sample):
    assert sample.height == 106
    counts = dict(sample.group_by("school_type").len().iter_rows())
    assert counts == {211: 64, 218: 22, 311: 13, 312: 5, 341: 1, 513: 1}
    private = sample.filter(pl.col("ownership") == "民办")
    assert private["school_type"].to_list() == [311]
    assert set(sample["ownership"]) == {"公办", "民办"}


def test_sample_identity(sample):
    assert set(sample["county"]) == {"均衡示例县"}
    assert set(sample["county_code"]) == {"529901"}
    towns = sample["township"].unique()
    assert towns.len() == 15
    assert towns.str.ends_with("街道").sum() == 3
    assert sample["school_id"].n_unique() == 106
    assert sample["school_id"].str.contains(r"^(21|31|34|51)52\d{6}$").all()
    prefix = {211: "21", 218: "21", 311: "31", 312: "31", 341: "34", 513: "51"}
    assert all(sid[:2] == prefix[t] for sid, t in sample.select("school_id", "school_type").iter_rows())
    assert sample["name"].n_unique() == 106


def test_teaching_points_hang_on_a_central_school_of_their_town(sample):
    points = sample.filter(pl.col("school_type") == 218)
    assert points["parent_id"].null_count() == 0
    assert sample.filter(pl.col("school_type") != 218)["parent_id"].null_count() == 106 - 22
    parents = points.join(sample, left_on="parent_id", right_on="school_id", suffix="_parent")
    assert parents.height == 22
    assert (parents["school_type_parent"] == 211).all()
    assert (parents["township"] == parents["township_parent"]).all()
    assert parents["name_parent"].str.ends_with("中心小学").all()
    assert points["students_P"].max() < 200
    assert 1 <= _n(points, pl.col("students_P") < 50) <= 10


def test_sample_totals(sample):
    pupils = sample.select(pl.sum_horizontal(pl.col("students_P").sum(), pl.col("students_J").sum())).item()
    teachers = sample.select(pl.sum_horizontal(pl.col("teachers_P").sum(), pl.col("teachers_J").sum())).item()
    assert 45_000 <= pupils <= 55_000
    assert 3_000 <= teachers <= 4_000
    assert sample.filter(pl.col("school_type") == 341)["students_S"].item() > 0
    assert _n(sample, RURAL) > _n(sample, URBAN)  # mostly rural


def test_urban_schools_big_and_crowded_rural_small(sample):
    pupils = pl.sum_horizontal(pl.col("students_P", "students_J").fill_null(0))
    public_urban = sample.filter(URBAN & (pl.col("ownership") == "公办") & pl.col("school_type").is_in([211, 311, 341]))
    assert public_urban.select(pupils.min()).item() >= 1_400
    assert public_urban.select(pupils.max()).item() <= 3_000
    rural = sample.filter(RURAL & (pl.col("school_type") == 211))
    assert rural.select(pupils.median()).item() < 300
    per_pupil = (pl.col("teaching_area_m2") / pupils).median()
    assert public_urban.select(per_pupil).item() < rural.select(per_pupil).item()
    equipment = (pl.col("equipment_value_yuan") / pupils).median()
    assert public_urban.select(equipment).item() > rural.select(equipment).item()


def test_class_sizes(sample):
    for s in ("P", "J"):
        size = pl.col(f"students_{s}") / pl.col(f"classes_{s}")
        town = sample.filter(~RURAL & pl.col(f"classes_{s}").is_not_null() & (pl.col("school_type") < 500))
        assert town.select(size.min()).item() >= 28 and town.select(size.max()).item() <= 58
        rural = sample.filter(RURAL & pl.col(f"classes_{s}").is_not_null())
        assert rural.select(size.median()).item() <= 36


def assert_valid(df: pl.DataFrame) -> None:
    """The importer's checks (docs/data-dictionary.md validation) and its usual-range warnings, on a canonical table."""
    ints = [f.code for f in FIELDS if f.kind == "int" and f.code in df.columns]
    floats = [f.code for f in FIELDS if f.kind == "float" and f.code in df.columns]
    assert df.select(pl.min_horizontal(pl.col(ints + floats).min())).item() >= 0
    for s in ("P", "J"):
        t = pl.col(f"teachers_{s}")
        for part in ("qualified_teachers", "senior_title_teachers", "backbone_teachers", "pe_art_teachers"):
            assert _n(df, pl.col(f"{part}_{s}") > t) == 0, part
        parts = pl.sum_horizontal(pl.col(f"{p}_teachers_{s}") for p in ("pe", "music", "art"))
        assert _n(df, pl.col(f"pe_art_teachers_{s}") != parts) == 0
        assert _n(df, pl.col(f"students_{s}") > 40 * t) == 0  # pupil-teacher ratio ≤ 40
        assert _n(df, pl.col(f"classes_{s}") > pl.col(f"students_{s}")) == 0
        assert _n(df, pl.col(f"students_{s}").is_not_null() & (pl.col(f"classes_{s}") < 1)) == 0
    assert _n(df, pl.col("indoor_sports_m2") > pl.col("teaching_area_m2")) == 0
    for code, t in SCHOOL_TYPES.items():
        rows = df.filter(pl.col("school_type") == code)
        for s in ("P", "J", "S"):
            if s not in t.sections:
                assert rows[f"students_{s}"].null_count() == rows.height, (code, s)
            elif s != "S" and t.category != "special":
                assert rows[f"students_{s}"].null_count() == 0, (code, s)
    pupils = pl.sum_horizontal(pl.col("students_P", "students_J", "students_S").fill_null(0))
    assert _n(df, pupils == 0) == 0
    assert _n(df, (pl.col("school_type") == 218) & (pl.col("students_P") > 200)) == 0
    assert _n(df, pl.col("books") >= 100 * pupils) == 0
    assert _n(df, pl.col("teaching_area_m2") >= 30 * pupils) == 0
    assert (df["equipment_value_yuan"] % 1 == 0).all()


def test_sample_is_valid(sample):
    assert_valid(sample)


def test_scaled_is_valid(scaled):
    assert_valid(scaled)


def test_scaled_shape(scaled):
    assert scaled.height == 5_000
    assert scaled["school_id"].n_unique() == 5_000
    assert scaled["school_id"].str.contains(r"^(21|31|34|51)\d{8}$").all()
    assert scaled["county_code"].n_unique() == 60
    assert scaled["county_code"].str.contains(r"^\d{6}$").all()
    assert scaled.group_by("county_code").agg(pl.col("county").n_unique())["county"].max() == 1
    # the same kind of mix as the sample, and every teaching point on a 中心校 of its own county
    share = dict(scaled.group_by("school_type").len().with_columns(pl.col("len") / 5_000).iter_rows())
    assert share[211] == pytest.approx(64 / 106, abs=0.03) and share[218] == pytest.approx(22 / 106, abs=0.03)
    points = scaled.filter(pl.col("school_type") == 218)
    parents = points.join(scaled, left_on="parent_id", right_on="school_id", suffix="_p")
    assert parents.height == points.height
    assert (parents["county_code"] == parents["county_code_p"]).all()
    assert (parents["township"] == parents["township_p"]).all()


def test_small_and_uneven_sizes():
    df = generate(10, 10, seed=5)  # one school per county: each a primary, no orphan teaching point
    assert df["county_code"].n_unique() == 10
    assert (df["school_type"] == 211).all()
    assert_valid(generate(300, 40, seed=11))
    assert generate(None, 3).height == 3 * 106


def test_bad_arguments():
    with pytest.raises(ValueError):
        generate(5, 6)
    with pytest.raises(ValueError):
        generate(counties=0)


def test_coordinates_on_request_leave_every_other_value_alone(sample):
    located = generate(coordinates=True)
    assert located.columns == [f.code for f in FIELDS]
    assert located.drop(LOCATION_COLUMNS).equals(sample)
    lon, lat = located["longitude"], located["latitude"]
    assert lon.null_count() == lat.null_count() == 0
    assert lon.is_between(*LONGITUDE_RANGE).all() and lat.is_between(*LATITUDE_RANGE).all()
    # a teaching point lies within the ring of towns around the county centre (≤ 30 + 6 km)
    from junheng.analysis.whatif.apply import haversine_km
    seat = located.row(0, named=True)
    far = max(haversine_km(seat["longitude"], seat["latitude"], a, b) for a, b in zip(lon, lat))
    assert 8 < far < 2 * (30 + 6 + 3)


@pytest.mark.parametrize("prov", ["52", "33"])
def test_one_province_on_request(prov):
    """``province``: every county (and the BB part of every school id) in that province, distinct
    county codes; every value other than codes, ids and province is the default spread's."""
    spread = generate(600, 5, seed=7)
    one = generate(600, 5, seed=7, province=prov)
    assert_valid(one)
    assert set(one["county_code"].str.slice(0, 2)) == {prov}
    assert one["county_code"].n_unique() == 5
    assert set(one["school_id"].str.slice(2, 2)) == {prov}
    assert one["school_id"].n_unique() == 600
    assert spread["county_code"].str.slice(0, 2).n_unique() == 5      # the default still spreads them
    same = [c for c in spread.columns if c not in ("county_code", "school_id", "parent_id")]
    assert one.select(same).sort(same).equals(spread.select(same).sort(same))


def test_one_province_bad_arguments():
    with pytest.raises(ValueError):
        generate(10, 2, province="99")
    with pytest.raises(ValueError):
        generate(None, 999, province="52")


def test_cli_province_gives_comparable_counties(tmp_path):
    import json
    import subprocess
    import sys

    def run(*args):
        return subprocess.run([sys.executable, "-m", "junheng.cli", *args], capture_output=True, text=True)

    out = tmp_path / "s.xlsx"
    r = run("sample", "-o", str(out), "--schools", "300", "--counties", "4", "--seed", "7", "--province", "52")
    assert r.returncode == 0, r.stderr
    r = run("equity", str(out), "-f", "json")
    assert r.returncode == 0, r.stderr
    q = json.loads(r.stdout)["quadrants"]["primary"]
    assert len(q) == 4 and {x["province"] for x in q} == {"52"}
    r = run("sample", "-o", str(tmp_path / "t.xlsx"), "--province", "5")
    assert r.returncode == 2 and "--province 5" in r.stderr and not (tmp_path / "t.xlsx").exists()
