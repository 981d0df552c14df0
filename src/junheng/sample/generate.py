"""Deterministic synthetic counties: the bundled sample county and school tables of any size.

Everything is drawn with one ``numpy.random.Generator`` seeded by ``seed`` and vectorised over
schools (the only Python loops run over the ten roles of :mod:`junheng.sample.profiles` and the
sections), so 210 000 schools over 2 900 counties take a few seconds.
"""
from __future__ import annotations

import numpy as np
import polars as pl

from junheng.sample.profiles import (
    ID_PREFIX,
    PLACE_FIRST,
    PLACE_SECOND,
    PROVINCES,
    ROLE_INDEX,
    ROLES,
    SAMPLE_COUNTY,
    SAMPLE_COUNTY_CODE,
    SAMPLE_PROVINCE,
    SAMPLE_SIZE,
    SAMPLE_SUBDISTRICT_SHARE,
    SAMPLE_SUBDISTRICTS,
    SAMPLE_TOWNS,
    SPLIT_WEIGHTS,
    VILLAGES,
    PROVISION_DATA,
    Dist,
)
from junheng.schema import FIELDS, LOCATION_COLUMNS

DEFAULT_SEED = 20261129

_STAFF_COLS = ("qualified_teachers", "senior_title_teachers", "backbone_teachers",
               "pe_teachers", "music_teachers", "art_teachers")
_MAX_COUNTIES = len(PROVINCES) * 998
#: Usage bounds of ``junheng sample`` (a province-scale table, far beyond any real province's
#: ~30 000 schools, still fits in memory; the generator itself allows more counties).
MAX_SAMPLE_SCHOOLS = 300_000
MAX_SAMPLE_COUNTIES = 3_000
#: Schools per county of the default sample (``schools=None``).
DEFAULT_SCHOOLS_PER_COUNTY = 106


def generate(schools: int | None = None, counties: int = 1, seed: int = DEFAULT_SEED, *,
             coordinates: bool = False, province: str | None = None) -> pl.DataFrame:
    """Build a synthetic school table (学校表, one row per school) in the canonical shape.

    ``generate()`` (``schools=None, counties=1``) is the bundled sample county 均衡示例县 (code
    529901, province 52): 106 schools modelled on a mountainous county of about 326 000 people,
    3 subdistricts and 12 towns: 64 primaries (211) and 22 teaching points (218, each with
    ``parent_id`` = its town's 中心校), 13 junior schools (311, one 民办), 5 九年一贯制 (312),
    1 完全中学 (341, with senior pupils) and 1 培智 special school (513); about 50 000
    compulsory-stage pupils and 3 500 full-time teachers. It passes ``basic-2012`` and fails
    ``quality-2017`` (see ``profiles`` for the sources of the distributions). It also carries the
    data of the 2017 special provisions (``profiles.ProvisionData``): 走教 PE/art teachers at small
    rural schools (every one without its own PE/art teacher, some others), 是否中心城区学校 for every
    school and a rented field at the crowded 第四中学.

    ``schools=N, counties=K``: N schools spread over K counties (sizes vary, each ≥ 1), each
    county a scaled variant of the sample's type mix (largest-remainder quotas; in a county with
    no 中心校 the teaching points become village primaries). ``schools=None`` gives K counties of
    106 schools. Counties are spread over the 31 provinces (county k in province k mod 31, from
    52), or all in ``province`` (a code of ``profiles.PROVINCES``, at most 998 counties) so that
    they can be compared with each other (equity quadrants); county codes are fictional
    (``PP99xx``/``PP9xxx``); school ids are 10 digits ``AABBCCCCCC`` (type prefix, province,
    serial) and unique over the table.

    Returns a polars DataFrame with every column of ``schema.FIELDS`` (no ``source_row``): text
    columns Utf8, ``school_type`` Int64, counts Int64, areas in ㎡ (2 decimals) and
    ``equipment_value_yuan`` in 元 (whole hundreds) Float64; section columns are null where the
    school type has no such section, ``parent_id`` is null except for teaching points. The same
    arguments always give the same frame. The optional 经度 / 纬度 columns (schema.LOCATION_COLUMNS)
    are left out unless ``coordinates=True`` (:func:`_coordinates`; drawn from their own random
    stream, so every other value is the same either way).
    """
    if counties < 1:
        raise ValueError("counties must be at least 1")
    if counties > _MAX_COUNTIES:
        raise ValueError(f"at most {_MAX_COUNTIES} counties")
    if province is not None and province not in PROVINCES:
        raise ValueError(f"unknown province code {province!r}")
    if province is not None and counties > _MAX_COUNTIES // len(PROVINCES):
        raise ValueError(f"at most {_MAX_COUNTIES // len(PROVINCES)} counties in one province")
    if schools is not None and schools < counties:
        raise ValueError("need at least one school per county")
    rng = np.random.default_rng(seed)
    sizes = _county_sizes(schools, counties, rng)
    lay = _layout(sizes, rng)
    cols = _draw_values(lay, rng)
    cols.update(_identity(lay, rng, province))
    _provision_data(lay, cols, np.random.default_rng([seed, 1]))
    if coordinates:
        cols.update(_coordinates(lay, np.random.default_rng([seed, 2])))
    frame = _frame(cols)
    return frame if coordinates else frame.drop(LOCATION_COLUMNS)


#: ASSUMPTION (synthetic geography): the county seat's subdistricts lie within this many km of
#: the county centre, the towns on a ring RING_KM away, a town's schools within TOWN_KM of it.
SEAT_KM, RING_KM, TOWN_KM = 3.0, (8.0, 30.0), 6.0
_KM_PER_DEG_LAT = 111.2


def _coordinates(lay: dict[str, np.ndarray], rng: np.random.Generator) -> dict[str, np.ndarray]:
    """经度 / 纬度 of every school (WGS-84 degrees, 5 decimals): each county centred on a point of
    southern China (stepping 0.4° per county), its townships around it (:data:`SEAT_KM`,
    :data:`RING_KM`), its schools scattered around their township (:data:`TOWN_KM`)."""
    n, county, town = len(lay["role"]), lay["county"], lay["township"]
    n_c = int(county.max()) + 1 if n else 0
    c_lon = 104.0 + 0.4 * (np.arange(n_c) % 40)
    c_lat = 24.0 + 0.4 * ((np.arange(n_c) // 40) % 40)
    n_town = int(town.max()) + 1 if n else 0
    ang = rng.uniform(0, 2 * np.pi, (n_c, n_town))
    dist = rng.uniform(*RING_KM, (n_c, n_town))
    urban = np.arange(n_town)[None, :] < lay["n_sub"][:, None]
    dist = np.where(urban, rng.uniform(0, SEAT_KM, (n_c, n_town)), dist)
    t_dx, t_dy = dist * np.cos(ang), dist * np.sin(ang)
    s_ang, s_r = rng.uniform(0, 2 * np.pi, n), TOWN_KM * np.sqrt(rng.random(n))
    is_urban = urban[county, town]
    s_r = np.where(is_urban, s_r / 3, s_r)
    dx = t_dx[county, town] + s_r * np.cos(s_ang)
    dy = t_dy[county, town] + s_r * np.sin(s_ang)
    lat = c_lat[county] + dy / _KM_PER_DEG_LAT
    lon = c_lon[county] + dx / (_KM_PER_DEG_LAT * np.cos(np.radians(lat)))
    return {"longitude": np.round(lon, 5), "latitude": np.round(lat, 5)}


def _county_sizes(schools: int | None, counties: int, rng: np.random.Generator) -> np.ndarray:
    if schools is None:
        return np.full(counties, SAMPLE_SIZE, dtype=np.int64)
    if counties == 1:
        return np.array([schools], dtype=np.int64)
    w = rng.lognormal(0.0, 0.5, counties)
    return 1 + rng.multinomial(schools - counties, w / w.sum()).astype(np.int64)


def _quotas(sizes: np.ndarray) -> np.ndarray:
    """Schools per (county, role): the sample mix scaled to each county, largest remainder."""
    share = np.array([r.count for r in ROLES], dtype=np.float64) / SAMPLE_SIZE
    exact = sizes[:, None] * share[None, :]
    counts = np.floor(exact).astype(np.int64)
    left = sizes - counts.sum(axis=1)
    order = np.argsort(-(exact - counts), axis=1, kind="stable")
    rank = np.argsort(order, axis=1, kind="stable")
    counts += rank < left[:, None]
    # a teaching point needs a 中心校 in its county
    central, point, village = (ROLE_INDEX[k] for k in ("central_primary", "teaching_point", "village_primary"))
    orphan = counts[:, central] == 0
    counts[orphan, village] += counts[orphan, point]
    counts[orphan, point] = 0
    return counts


def _layout(sizes: np.ndarray, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Role, county, township and parent of every school (rows ordered by county, then role)."""
    n_roles = len(ROLES)
    counts = _quotas(sizes)
    flat = counts.ravel()
    role = np.repeat(np.tile(np.arange(n_roles), len(sizes)), flat)
    county = np.repeat(np.arange(len(sizes)), sizes)
    block_start = np.concatenate(([0], np.cumsum(flat)[:-1]))
    rank = np.arange(len(role)) - np.repeat(block_start, flat)  # rank within (county, role)

    n_sub = np.maximum(1, np.rint(sizes * SAMPLE_SUBDISTRICT_SHARE)).astype(np.int64)
    n_town = np.maximum(1, counts[:, ROLE_INDEX["central_primary"]])
    ns, nt = n_sub[county], n_town[county]
    place = np.array([r.place for r in ROLES])[role]
    u = rng.random(len(role))
    township = np.where(place == "urban", np.floor(u * ns), ns + np.floor(u * nt)).astype(np.int64)
    by_rank = {"central_primary": rank, "town_junior": rank % nt, "nine_year": nt - 1 - rank % nt}
    for key, town in by_rank.items():
        m = role == ROLE_INDEX[key]
        township[m] = (ns + town)[m]

    parent = np.full(len(role), -1, dtype=np.int64)
    point = role == ROLE_INDEX["teaching_point"]
    central_start = block_start.reshape(len(sizes), n_roles)[:, ROLE_INDEX["central_primary"]]
    parent[point] = (central_start[county] + township - ns)[point]
    return {"role": role, "county": county, "rank": rank, "township": township, "parent": parent,
            "n_sub": n_sub, "n_town": n_town, "counts": counts}


def _lognormal(rng: np.random.Generator, d: Dist, n: int) -> np.ndarray:
    return np.clip(rng.lognormal(np.log(d.median), d.sigma, n), d.lo, d.hi)


def _draw_values(lay: dict[str, np.ndarray], rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Pupils, classes, teachers and resources per school; -1 / NaN mark a section the type lacks."""
    n = len(lay["role"])
    cols: dict[str, np.ndarray] = {}
    for f in FIELDS:
        if f.kind == "int":
            cols[f.code] = np.full(n, -1, dtype=np.int64)
        elif f.kind == "float":
            cols[f.code] = np.full(n, np.nan)
    cols["school_type"] = np.array([r.school_type for r in ROLES], dtype=np.int64)[lay["role"]]
    for i, r in enumerate(ROLES):
        idx = np.flatnonzero(lay["role"] == i)
        k = len(idx)
        if k == 0:
            continue
        weighted = np.zeros(k)
        classes = np.zeros(k, dtype=np.int64)
        for s, sec in r.sections.items():
            pupils = np.rint(_lognormal(rng, sec.pupils, k)).astype(np.int64)
            cols[f"students_{s}"][idx] = pupils
            weighted += pupils * SPLIT_WEIGHTS.get(r.school_type, {}).get(s, 1.0)
            if sec.pupils_per_teacher is None:
                continue
            size = _lognormal(rng, sec.class_size, k)
            cls = np.clip(np.ceil(pupils / size), 1, np.minimum(sec.max_classes, pupils)).astype(np.int64)
            cols[f"classes_{s}"][idx] = cls
            classes += cls
            ptr = _lognormal(rng, sec.pupils_per_teacher, k)
            teachers = np.maximum.reduce([np.rint(pupils / ptr), np.ceil(pupils / 40), np.ones(k)])
            teachers = teachers.astype(np.int64)
            cols[f"teachers_{s}"][idx] = teachers
            st = sec.staff
            scale = rng.lognormal(0.0, st.spread, (4, k))
            cols[f"qualified_teachers_{s}"][idx] = rng.binomial(teachers, np.clip(1 - (1 - st.qualified) * scale[0], 0, 1))
            for code, p, f in zip(_STAFF_COLS[1:3], (st.senior, st.backbone), scale[1:3]):
                cols[f"{code}_{s}"][idx] = rng.binomial(teachers, np.clip(p * f, 0, 1))
            free, left_p = teachers.copy(), np.ones(k)
            for code, p in zip(_STAFF_COLS[3:], (st.pe, st.music, st.art)):
                p = p * scale[3]  # one factor per school: specialists come together or not at all
                drawn = rng.binomial(free, np.clip(p / left_p, 0, 1))
                cols[f"{code}_{s}"][idx] = drawn
                free, left_p = free - drawn, np.maximum(left_p - p, 1e-9)
            cols[f"pe_art_teachers_{s}"][idx] = sum(cols[f"{c}_{s}"][idx] for c in _STAFF_COLS[3:])
        res = r.resources
        net = _lognormal(rng, res.teaching, k) * weighted
        gym = np.where(rng.random(k) < res.gym_p, _lognormal(rng, res.gym_m2, k), 0.0)
        gym = np.round(np.minimum(gym, 0.35 * net), 2)
        cols["teaching_area_m2"][idx] = np.round(net + gym, 2)
        cols["indoor_sports_m2"][idx] = gym
        cols["sports_ground_m2"][idx] = np.round(_lognormal(rng, res.sports, k) * weighted, 2)
        cols["equipment_value_yuan"][idx] = np.rint(_lognormal(rng, res.equipment, k) * weighted / 100) * 100
        cols["teaching_computers"][idx] = np.rint(_lognormal(rng, res.computers, k) * weighted / 100)
        cols["books"][idx] = np.rint(_lognormal(rng, res.books, k) * weighted)
        cols["multimedia_rooms"][idx] = (rng.binomial(classes, min(1.0, res.mm_per_class))
                                         + rng.poisson(res.mm_extra, k))
    return cols


def _provision_data(lay: dict[str, np.ndarray], cols: dict[str, np.ndarray], rng: np.random.Generator) -> None:
    """Visiting PE/art teachers, 中心城区 flags and a rented field (profiles.ProvisionData), in place."""
    d, role = PROVISION_DATA, lay["role"]
    pupils = sum(np.maximum(cols[f"students_{s}"], 0) for s in ("P", "J"))
    small = np.isin(role, [ROLE_INDEX[k] for k in d.visiting_roles]) & (pupils < d.visiting_max_pupils)
    for s in ("P", "J"):
        has = cols[f"students_{s}"] > 0
        p = np.where(cols[f"pe_art_teachers_{s}"] == 0, d.no_specialist_p, d.visiting_p)
        n = (rng.random(len(role)) < p).astype(np.int64) * (1 + (rng.random(len(role)) < d.second_p))
        cols[f"visiting_pe_art_teachers_{s}"] = np.where(small & has & (n > 0), n, -1)
    urban = np.array([r.place == "urban" for r in ROLES])[role]
    cols["central_urban"] = np.where(urban, "是", "否")
    rented = (role == ROLE_INDEX[d.rented_role]) & (lay["rank"] == d.rented_rank)
    cols["extra_sports_m2"] = np.where(rented, d.rented_m2, np.nan)


def _cn_number(k: int) -> str:
    digits = "零一二三四五六七八九"
    if k < 10:
        return digits[k]
    if k < 100:
        return ("" if k < 20 else digits[k // 10]) + "十" + ("" if k % 10 == 0 else digits[k % 10])
    return str(k)


_CN = np.array([_cn_number(k) for k in range(1000)])


def _cn(k: np.ndarray) -> np.ndarray:
    return np.where(k < 1000, _CN[np.minimum(k, 999)], k.astype(str))


def _pick(chars: tuple[str, ...], i: np.ndarray) -> np.ndarray:
    return np.array(chars)[i % len(chars)]


def _identity(lay: dict[str, np.ndarray], rng: np.random.Generator, one_province: str | None = None
              ) -> dict[str, np.ndarray]:
    """Text columns: ids, names, county, township, 城乡分类, 举办者, parent ids; every county in
    ``one_province`` when given."""
    role, county, rank, township = lay["role"], lay["county"], lay["rank"], lay["township"]
    n_counties = len(lay["n_sub"])
    k = np.arange(n_counties)
    if one_province is None:
        province = np.array(PROVINCES)[(k + PROVINCES.index(SAMPLE_PROVINCE)) % len(PROVINCES)]
        j = k // len(PROVINCES)
    else:
        province, j = np.full(n_counties, one_province), k
    county_code = np.strings.add(province, np.where(j < 99, 9901 + j, 8902 + j).astype(str))
    two = np.strings.add(_pick(PLACE_FIRST, k), _pick(PLACE_SECOND, k // 20))
    three = np.strings.add(two, _pick(PLACE_FIRST, k // 400 + 7))
    county_name = np.strings.add(np.where(k < 400, two, three), "县").astype("U16")
    county_name[0] = SAMPLE_COUNTY
    county_code[0] = SAMPLE_COUNTY_CODE if province[0] == SAMPLE_PROVINCE else county_code[0]

    ns = lay["n_sub"][county]
    is_sub = township < ns
    t = np.where(is_sub, township, township - ns)
    town_name = np.strings.add(np.strings.add(_pick(PLACE_FIRST, t + county), _pick(PLACE_SECOND, t // 20 + county)),
                               np.where(is_sub, "街道", "镇")).astype("U16")
    if lay["n_sub"][0] <= len(SAMPLE_SUBDISTRICTS) and lay["n_town"][0] <= len(SAMPLE_TOWNS):
        first = county == 0
        town_name[first & is_sub] = np.array(SAMPLE_SUBDISTRICTS)[t[first & is_sub]]
        town_name[first & ~is_sub] = np.array(SAMPLE_TOWNS)[t[first & ~is_sub]]

    cname = county_name[county]
    counts = lay["counts"]
    n_complete = counts[:, ROLE_INDEX["complete"]][county]
    nt = lay["n_town"][county]
    village = np.strings.add(_pick(PLACE_FIRST, rank * 7 + 3), _pick(PLACE_SECOND, rank // 20 + rank))
    nth_in_town = np.where(rank < nt, "", np.strings.add("第", _cn(rank // nt + 1)))
    parts = {
        "urban_primary": (cname, np.strings.add(np.strings.add("第", _cn(rank + 1)), "小学")),
        "central_primary": (town_name, "中心小学"),
        "village_primary": (town_name, np.strings.add(village, "村小学")),
        "teaching_point": (town_name, np.strings.add(_pick(VILLAGES, rank), np.strings.add(village, "教学点"))),
        "urban_junior": (cname, np.strings.add(np.strings.add("第", _cn(rank + 1 + n_complete)), "中学")),
        "private_junior": (cname, np.strings.add(np.where(rank == 0, "", _cn(rank + 1)), "育才学校")),
        "town_junior": (town_name, np.strings.add(nth_in_town, "中学")),
        "nine_year": (town_name, np.strings.add(nth_in_town, "九年制学校")),
        "complete": (cname, np.strings.add(np.strings.add("第", _cn(rank + 1)), "中学")),
        "special": (cname, np.strings.add(np.where(rank == 0, "", _cn(rank + 1)), "特殊教育学校")),
    }
    name = np.zeros(len(role), dtype="U64")
    for key, (head, tail) in parts.items():
        m = role == ROLE_INDEX[key]
        name[m] = np.strings.add(np.broadcast_to(head, role.shape)[m], np.broadcast_to(tail, role.shape)[m])

    school_province = province[county]
    order = np.argsort(school_province, kind="stable")
    sorted_prov = school_province[order]
    first_of = np.searchsorted(sorted_prov, sorted_prov, side="left")
    serial = np.empty(len(role), dtype=np.int64)
    serial[order] = np.arange(len(role)) - first_of + 1
    if serial.max(initial=0) > 999_999:
        raise ValueError("more than 999 999 schools in one province")
    prefix = np.array([ID_PREFIX[r.school_type] for r in ROLES])[role]
    school_id = np.strings.add(np.strings.add(prefix, school_province), np.strings.zfill(serial.astype(str), 6))

    pair = np.array([r.urban_rural for r in ROLES])[role]
    urban_rural = np.where(rng.random(len(role)) < 0.7, pair[:, 0], pair[:, 1])
    parent = lay["parent"]
    parent_id = np.where(parent >= 0, school_id[np.maximum(parent, 0)], "")  # "" becomes null
    return {
        "school_id": school_id,
        "name": name,
        "county_code": county_code[county],
        "county": cname,
        "township": town_name,
        "urban_rural_code": urban_rural,
        "ownership": np.array([r.ownership for r in ROLES])[role],
        "authority": np.full(len(role), "县属"),
        "parent_id": parent_id,
    }


def _frame(cols: dict[str, np.ndarray]) -> pl.DataFrame:
    series = []
    for f in FIELDS:
        a = cols[f.code]
        if f.kind == "text":
            s = pl.Series(f.code, a, dtype=pl.Utf8)
            series.append(s.set(s == "", None) if f.code == "parent_id" else s)
        elif f.kind == "type":
            series.append(pl.Series(f.code, a, dtype=pl.Int64))
        elif f.kind == "int":
            series.append(pl.Series(f.code, a, dtype=pl.Int64).set(pl.Series(a < 0), None))
        else:
            series.append(pl.Series(f.code, a, dtype=pl.Float64).fill_nan(None))
    return pl.DataFrame(series)

