"""School profiles of the synthetic counties: the type mix and the distributions each type draws from.

A county is built from ten *roles* (a school type in a place: a big urban primary, a town's
中心校, a village primary, a teaching point, ...). ``Role.count`` is how many the bundled sample
county has (106 schools); larger or smaller counties keep the same proportions.

Sources for the numbers (national statistics yearbooks and published county reports, summarised):

* national 2018–2023 aggregates: urban primaries ≈ 30 classes, rural ≈ 11; about 4–5 ㎡ of
  teaching rooms, 8 ㎡ of sports area and 2 000–2 300 元 of equipment per pupil; 15–21 teaching
  computers per 100 pupils; about 1 full-time teacher per 17 primary / 12–13 junior pupils;
* published county means (万州, 南关, 庐阳): 3–6.5 ㎡ teaching rooms, 4.4–11 ㎡ sports area,
  1 200–4 700 元 equipment, 8–25 computers per 100, 15–42 books per pupil;
* published single CVs: books and computers low (0.1–0.4), sports and teaching area high
  (0.4–1.3); under 优质均衡 the 骨干, 体艺 and multimedia CVs are often above the line.

Urban schools are big and crowded (low area per pupil, more equipment, more 骨干 and PE/art
specialists, a multimedia room per class); rural schools are small, with more space per pupil but
few specialists and few multimedia rooms. Each per-pupil ratio is lognormal within a role; the
contrast between roles produces the dispersion. The values are inferred, not measured: they are
tuned so that the sample county passes ``basic-2012`` and fails ``quality-2017``.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Dist:
    """A lognormal draw with this median and log-sd, clipped to ``[lo, hi]``."""

    median: float
    sigma: float
    lo: float
    hi: float


@dataclass(frozen=True)
class Staff:
    """Typical share of a section's full-time teachers who are qualified (above the required
    degree), hold a 中级+ title, are county-level 骨干, or teach PE / music / art. Each school
    scales the shares by a lognormal factor of log-sd ``spread`` (the unqualified share for
    ``qualified``), then draws the counts binomially."""

    qualified: float
    senior: float
    backbone: float
    pe: float
    music: float
    art: float
    spread: float = 0.35


@dataclass(frozen=True)
class Section:
    """One section (P/J/S) of a role: pupils, pupils per teacher and pupils per class."""

    pupils: Dist
    pupils_per_teacher: Dist | None = None  # None for the senior section (no teacher columns)
    class_size: Dist | None = None
    staff: Staff | None = None
    max_classes: int = 10_000


@dataclass(frozen=True)
class Resources:
    """Per weighted pupil: teaching-room area (net of the gym) and sports ground in ㎡, equipment in
    元, teaching computers per 100 pupils, books; a gym (indoor sports, inside the teaching area)
    with probability ``gym_p`` and area ``gym_m2``; multimedia rooms = Binomial(classes,
    ``mm_per_class``) + Poisson(``mm_extra``)."""

    teaching: Dist
    sports: Dist
    equipment: Dist
    computers: Dist
    books: Dist
    gym_p: float = 0.0
    gym_m2: Dist = Dist(300, 0.3, 80, 3000)
    mm_per_class: float = 0.5
    mm_extra: float = 0.0


@dataclass(frozen=True)
class Role:
    """A kind of school in a county: type code, where it stands, how many the sample county has."""

    key: str
    school_type: int
    count: int
    place: str  # urban (街道) | town (镇区, one per town for a 中心校) | rural (乡村)
    urban_rural: tuple[str, str]  # two 城乡分类代码, the first drawn with probability 0.7
    sections: dict[str, Section]
    resources: Resources
    ownership: str = "公办"


def _staff(q: float, s: float, b: float, pe: float, mu: float, art: float) -> Staff:
    return Staff(q, s, b, pe, mu, art)


ROLES: tuple[Role, ...] = (
    Role("urban_primary", 211, 7, "urban", ("111", "112"),
         {"P": Section(Dist(2100, 0.2, 1500, 2900), Dist(20, 0.08, 17, 24), Dist(50, 0.06, 42, 56),
                       _staff(0.99, 0.45, 0.22, 0.09, 0.05, 0.05))},
         Resources(Dist(2.7, 0.15, 2.0, 4.5), Dist(2.4, 0.3, 1.2, 5.0), Dist(3500, 0.25, 1800, 7000),
                   Dist(10, 0.2, 5, 20), Dist(22, 0.15, 15, 35), 0.6, Dist(800, 0.3, 300, 2000), 1.0, 8.0)),
    Role("central_primary", 211, 12, "town", ("121", "122"),
         {"P": Section(Dist(750, 0.35, 350, 1400), Dist(17.5, 0.1, 14, 22), Dist(42, 0.08, 35, 50),
                       _staff(0.97, 0.5, 0.2, 0.07, 0.05, 0.05))},
         Resources(Dist(4.8, 0.3, 2.5, 9), Dist(7.5, 0.35, 3, 16), Dist(2800, 0.35, 900, 7000),
                   Dist(11, 0.25, 5, 22), Dist(25, 0.2, 15, 45), 0.3, Dist(500, 0.3, 200, 1200), 0.9, 2.0)),
    Role("village_primary", 211, 45, "rural", ("220", "210"),
         {"P": Section(Dist(110, 0.6, 40, 600), Dist(12, 0.3, 6, 22), Dist(22, 0.25, 12, 35),
                       _staff(0.9, 0.55, 0.3, 0.12, 0.08, 0.08))},
         Resources(Dist(7.0, 0.4, 3, 16), Dist(15, 0.45, 3, 40), Dist(3000, 0.4, 500, 8000),
                   Dist(13, 0.4, 3, 32), Dist(30, 0.3, 12, 65), 0.05, Dist(200, 0.3, 80, 500), 0.7)),
    Role("teaching_point", 218, 22, "rural", ("220", "210"),
         {"P": Section(Dist(70, 0.6, 8, 195), Dist(10, 0.3, 5, 20), Dist(15, 0.3, 6, 30),
                       _staff(0.85, 0.5, 0.2, 0.1, 0.06, 0.06), max_classes=6)},
         Resources(Dist(9, 0.4, 3, 16), Dist(12, 0.7, 2, 45), Dist(2600, 0.45, 300, 7000),
                   Dist(10, 0.5, 0, 30), Dist(28, 0.35, 10, 65), 0.0, mm_per_class=0.5)),
    Role("urban_junior", 311, 3, "urban", ("111", "112"),
         {"J": Section(Dist(2000, 0.15, 1500, 2600), Dist(14, 0.1, 11, 18), Dist(52, 0.05, 46, 56),
                       _staff(0.97, 0.5, 0.2, 0.08, 0.04, 0.04))},
         Resources(Dist(3.3, 0.15, 2.3, 6), Dist(3.0, 0.3, 1.5, 8), Dist(4000, 0.25, 2000, 8000),
                   Dist(12, 0.2, 6, 25), Dist(30, 0.15, 18, 50), 0.8, Dist(1200, 0.3, 500, 3000), 1.0, 10.0)),
    Role("private_junior", 311, 1, "urban", ("112", "111"),
         {"J": Section(Dist(1100, 0.2, 700, 1500), Dist(15, 0.08, 12, 18), Dist(48, 0.05, 42, 54),
                       _staff(0.95, 0.35, 0.05, 0.06, 0.03, 0.03))},
         Resources(Dist(5.0, 0.2, 3, 8), Dist(6.0, 0.3, 3, 12), Dist(4000, 0.3, 2000, 8000),
                   Dist(15, 0.2, 8, 30), Dist(32, 0.2, 18, 55), 0.5, Dist(600, 0.3, 300, 1500), 1.0, 3.0),
         ownership="民办"),
    Role("town_junior", 311, 9, "town", ("121", "122"),
         {"J": Section(Dist(750, 0.35, 300, 1400), Dist(11, 0.2, 7, 17), Dist(46, 0.08, 38, 54),
                       _staff(0.9, 0.5, 0.2, 0.07, 0.04, 0.04))},
         Resources(Dist(6.5, 0.45, 3, 14), Dist(12, 0.5, 3, 30), Dist(2700, 0.45, 1000, 7000),
                   Dist(13, 0.35, 5, 28), Dist(34, 0.3, 15, 65), 0.3, Dist(600, 0.3, 250, 1500), 1.0, 3.0)),
    Role("nine_year", 312, 5, "rural", ("210", "220"),
         {"P": Section(Dist(300, 0.35, 120, 600), Dist(14, 0.15, 9, 20), Dist(28, 0.2, 18, 40),
                       _staff(0.92, 0.55, 0.25, 0.09, 0.06, 0.06)),
          "J": Section(Dist(250, 0.4, 90, 500), Dist(9, 0.2, 6, 14), Dist(35, 0.15, 25, 45),
                       _staff(0.85, 0.5, 0.1, 0.06, 0.03, 0.03))},
         Resources(Dist(7.0, 0.4, 3, 14), Dist(14, 0.55, 3, 35), Dist(2900, 0.45, 600, 8000),
                   Dist(13, 0.3, 4, 28), Dist(32, 0.25, 15, 60), 0.1, Dist(300, 0.3, 100, 800), 0.9, 1.0)),
    Role("complete", 341, 1, "urban", ("111", "112"),
         {"J": Section(Dist(1800, 0.12, 1400, 2300), Dist(13, 0.08, 11, 16), Dist(52, 0.05, 46, 56),
                       _staff(0.98, 0.55, 0.18, 0.07, 0.03, 0.03)),
          "S": Section(Dist(2400, 0.15, 1500, 3000))},
         Resources(Dist(4.0, 0.1, 3, 6), Dist(4.0, 0.2, 2, 8), Dist(4200, 0.2, 2500, 8000),
                   Dist(14, 0.15, 8, 25), Dist(35, 0.15, 20, 55), 1.0, Dist(1500, 0.2, 800, 3000), 1.0, 10.0)),
    Role("special", 513, 1, "urban", ("111", "112"),
         {"P": Section(Dist(90, 0.3, 40, 160), Dist(4, 0.15, 3, 6), Dist(9, 0.15, 6, 12),
                       _staff(0.95, 0.5, 0.1, 0.05, 0.05, 0.05)),
          "J": Section(Dist(40, 0.3, 15, 80), Dist(4, 0.15, 3, 6), Dist(9, 0.15, 6, 12),
                       _staff(0.95, 0.5, 0.1, 0.05, 0.05, 0.05))},
         Resources(Dist(15, 0.2, 8, 20), Dist(10, 0.3, 4, 20), Dist(6000, 0.3, 2500, 12000),
                   Dist(15, 0.3, 5, 30), Dist(40, 0.2, 20, 60), 0.5, Dist(300, 0.3, 120, 600), 0.8)),
)

@dataclass(frozen=True)
class ProvisionData:
    """Data for the special provisions of the 2017 method (docs/rules.md §2), as a county would report them.

    Visiting PE/art teachers (走教/兼职/交流轮岗): a school of a role in ``visiting_roles`` with
    fewer than ``visiting_max_pupils`` compulsory pupils reports one with probability
    ``visiting_p`` per section (``no_specialist_p`` where the section has no PE/art teacher of its
    own: that is what 走教 is for), a second with ``second_p`` (some of these schools are outside the
    50–99 band, so the assessment lists them as not counted). 中心城区: every school of a role placed
    ``urban`` is flagged 是, the others 否. A rented field: the ``rented_rank``-th school of role
    ``rented_role`` (the crowded 第四中学 of the sample) rents ``rented_m2`` ㎡ nearby (a county
    stadium's pitch). Drawn from their own random stream, so the other columns do not move.
    """

    visiting_roles: tuple[str, ...] = ("village_primary", "teaching_point", "nine_year")
    visiting_max_pupils: int = 150
    visiting_p: float = 0.25
    no_specialist_p: float = 1.0
    second_p: float = 0.25
    rented_role: str = "urban_junior"
    rented_rank: int = 2
    rented_m2: float = 12_000.0


PROVISION_DATA = ProvisionData()

ROLE_INDEX: dict[str, int] = {r.key: i for i, r in enumerate(ROLES)}
SAMPLE_SIZE: int = sum(r.count for r in ROLES)  # 106 schools in the bundled county

#: Split weights of docs/rules.md §3: resources are drawn per weighted pupil, so each section's share
#: of a multi-section school gets the same per-pupil ratio after the official split.
SPLIT_WEIGHTS: dict[int, dict[str, float]] = {
    312: {"P": 1.0, "J": 1.1},
    341: {"J": 1.0, "S": 1.2},
    345: {"P": 1.0, "J": 1.1, "S": 1.32},
}

# The bundled county (fictional, modelled on a mountainous county of ~326 000 people).
SAMPLE_COUNTY = "均衡示例县"
SAMPLE_COUNTY_CODE = "529901"
SAMPLE_PROVINCE = "52"
SAMPLE_SUBDISTRICTS = ("城关街道", "龙溪街道", "凤岗街道")
SAMPLE_TOWNS = ("青山镇", "石门镇", "白云镇", "松林镇", "红岩镇", "清水镇",
                "高坪镇", "茶园镇", "花桥镇", "牛场乡", "岩脚乡", "平寨乡")
SAMPLE_SUBDISTRICT_SHARE = 3 / SAMPLE_SIZE  # subdistricts per school

#: Province codes (GB/T 2260) used for generated counties and the BB part of school ids.
PROVINCES = ("11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36",
             "37", "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62",
             "63", "64", "65")

#: 2-digit 标识码 prefix (学校类别) by school type.
ID_PREFIX: dict[int, str] = {211: "21", 218: "21", 311: "31", 312: "31", 341: "34", 345: "34", 513: "51"}

# Syllables for fictional place names (towns, villages, counties).
PLACE_FIRST = tuple("青石白松红清高茶花牛岩平龙凤金银黄新长大")
PLACE_SECOND = tuple("山门云林岩水坪园桥场脚寨溪岗江河坝沟田湾")
VILLAGES = tuple("东南西北上下前后中新")

