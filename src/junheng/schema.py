"""The data dictionary of the school table (学校表, 一校一行).

This module is the single place where the canonical column codes, their Chinese headers,
synonyms, units and kinds live (spec: docs/data-dictionary.md). The importer matches headers
by text against :data:`FIELDS`; the core reads the canonical polars columns named by ``code``;
the sample generator writes the Chinese ``header``.

Canonical table (what ``junheng.io`` returns and ``junheng.core`` consumes), one row per school:

* text columns (``pl.Utf8``): school_id, name, county_code, county, township,
  urban_rural_code, ownership (``公办``/``民办``), authority, parent_id
* ``school_type``: ``pl.Int64`` national 办学类型 code (211, 218, 311, ...)
* counts (``pl.Int64``) and amounts (``pl.Float64``) by code below; a column is present for every
  field in :data:`FIELDS`, null where the file had no value (the core treats null as 0)
* ``pe_art_teachers_P`` / ``_J`` always present: given directly or summed from PE + music + art
* optional provision columns (docs/rules.md §2 special provisions): ``visiting_pe_art_teachers_P`` /
  ``_J`` (走教/兼职/交流轮岗体育艺术教师数), ``extra_sports_m2`` (校外租赁及改造专用运动场地面积) and
  ``central_urban`` (``是`` / ``否`` / null); see :data:`PROVISION_COLUMNS`
* ``source_row``: ``pl.Int64``, the 1-based spreadsheet row the school came from (for messages)
* ``equipment_value_yuan`` is always in 元 (the importer multiplies 万元 by 10 000)
"""
from __future__ import annotations

from dataclasses import dataclass, field

SECTION_NAMES = {"P": "小学", "J": "初中", "S": "高中"}
LEVELS = {"P": "primary", "J": "junior"}
LEVEL_NAMES = {"primary": "小学", "junior": "初中"}


@dataclass(frozen=True)
class Field:
    """One column of the school table.

    code: English identifier used in code/JSON; header: the canonical Chinese header (what the
    sample generator writes); synonyms: other accepted headers (matched after normalisation:
    whitespace, full-width brackets and unit suffixes ignored); kind: ``text`` | ``int`` |
    ``float`` | ``type``; unit: display unit; section: P/J/S or None for whole-school fields.
    """

    code: str
    header: str
    kind: str
    unit: str = ""
    synonyms: tuple[str, ...] = ()
    required: bool = False
    section: str | None = None
    group: str = "identity"


@dataclass(frozen=True)
class SchoolType:
    """A national 办学类型 code with the compulsory sections it has."""

    code: int
    name: str
    sections: tuple[str, ...]
    category: str  # primary | teaching_point | junior | nine_year | complete | twelve_year | senior | special | vocational
    synonyms: tuple[str, ...] = field(default_factory=tuple)


SCHOOL_TYPES: dict[int, SchoolType] = {
    t.code: t
    for t in (
        SchoolType(211, "小学", ("P",), "primary", ("完全小学", "普通小学")),
        SchoolType(218, "小学教学点", ("P",), "teaching_point", ("教学点",)),
        SchoolType(311, "初级中学", ("J",), "junior", ("初中",)),
        SchoolType(312, "九年一贯制学校", ("P", "J"), "nine_year", ("九年一贯制",)),
        SchoolType(319, "职业初中", ("J",), "vocational", ()),
        SchoolType(341, "完全中学", ("J", "S"), "complete", ("完中",)),
        SchoolType(342, "高级中学", ("S",), "senior", ("高中",)),
        SchoolType(345, "十二年一贯制学校", ("P", "J", "S"), "twelve_year", ("十二年一贯制",)),
        *(SchoolType(c, "特殊教育学校", ("P", "J", "S"), "special", ("特教学校",)) for c in range(511, 520)),
    )
}


def _section_fields() -> list[Field]:
    out: list[Field] = []
    for s, pre in (("P", "小学"), ("J", "初中")):
        qual = "专科及以上" if s == "P" else "本科及以上"
        out += [
            Field(f"students_{s}", f"{pre}在校生数", "int", "人",
                  (f"{pre}在校学生数", f"{pre}学生数"), section=s, group="section"),
            Field(f"classes_{s}", f"{pre}班数", "int", "个", (f"{pre}教学班数",), section=s, group="section"),
            Field(f"teachers_{s}", f"{pre}专任教师数", "int", "人", (f"{pre}专任教师",), section=s, group="section"),
            Field(f"qualified_teachers_{s}", f"{pre}高于规定学历专任教师数", "int", "人",
                  (f"{pre}高于规定学历教师数", f"{pre}{qual}学历专任教师数", f"{pre}{qual}专任教师数"),
                  section=s, group="section"),
            Field(f"senior_title_teachers_{s}", f"{pre}中级及以上职称专任教师数", "int", "人",
                  (f"{pre}中级及以上专业技术职务教师数", f"{pre}中级及以上专任教师数", f"{pre}中级及以上职称教师数"),
                  section=s, group="section"),
            Field(f"backbone_teachers_{s}", f"{pre}县级及以上骨干教师数", "int", "人",
                  (f"{pre}县级以上骨干教师数", f"县级以上骨干教师({pre})", f"县级及以上骨干教师({pre})"),
                  section=s, group="section"),
            Field(f"pe_teachers_{s}", f"{pre}体育专任教师数", "int", "人", (f"{pre}体育教师数",), section=s, group="section"),
            Field(f"music_teachers_{s}", f"{pre}音乐专任教师数", "int", "人", (f"{pre}音乐教师数",), section=s, group="section"),
            Field(f"art_teachers_{s}", f"{pre}美术专任教师数", "int", "人", (f"{pre}美术教师数",), section=s, group="section"),
            Field(f"pe_art_teachers_{s}", f"{pre}体育艺术专任教师数", "int", "人",
                  (f"{pre}体育、艺术专任教师数", f"{pre}体艺专任教师数", f"{pre}体育艺术教师数"),
                  section=s, group="section"),
            # Optional (docs/rules.md §2 special provisions): PE/art teachers who come by rotation,
            # part-time posts or itinerant teaching; counted only where the rule pack allows.
            Field(f"visiting_pe_art_teachers_{s}", f"{pre}走教/兼职/交流轮岗体育艺术教师数", "int", "人",
                  (f"{pre}走教兼职交流轮岗体育艺术教师数", f"{pre}走教、兼职、交流轮岗体育艺术教师数",
                   f"{pre}走教体育艺术教师数", f"{pre}走教体艺教师数", f"{pre}走教教师数",
                   f"走教/兼职/交流轮岗体育艺术教师数({pre})", f"走教体育艺术教师数({pre})",
                   f"走教/兼职/交流轮岗体育艺术教师数{pre}"),  # group label above a 小学 / 初中 leaf
                  section=s, group="section"),
        ]
    out.append(Field("students_S", "高中在校生数", "int", "人", ("高中在校学生数", "高中学生数"),
                     section="S", group="section"))
    return out


FIELDS: tuple[Field, ...] = (
    Field("school_id", "学校标识码", "text", "", ("学校代码", "学校(机构)标识码", "标识码"), required=True),
    Field("name", "学校名称", "text", "", ("学校(机构)名称", "校名"), required=True),
    Field("county_code", "县(区)代码", "text", "", ("县区代码", "县代码", "县(市、区)代码")),
    Field("county", "县(区)", "text", "", ("县区", "统计三级", "县(区)名称", "县区名称", "县(市、区)")),
    Field("township", "乡镇(街道)", "text", "", ("乡镇", "乡镇街道", "街道")),
    Field("urban_rural_code", "城乡分类代码", "text", "", ("城乡分类", "城乡类别代码")),
    Field("school_type", "办学类型代码", "type", "", ("办学类型",), required=True),
    Field("ownership", "举办者", "text", "", ("办别", "举办者类型")),
    Field("authority", "隶属关系", "text", ""),
    Field("parent_id", "上级学校标识码", "text", "", ("所属中心校", "所属中心校标识码")),
    # Optional (docs/rules.md §2): 是 / 否, whether the school lies in a densely populated central urban
    # area; only such schools may count extra_sports_m2.
    Field("central_urban", "是否中心城区学校", "text", "", ("中心城区", "是否中心城区", "中心城区学校",
                                                      "是否位于中心城区")),
    # Optional: the school's position (WGS-84 decimal degrees), used only by the analyses that
    # measure distances (junheng whatif, junheng pair); never by the assessment.
    Field("longitude", "经度", "float", "°", ("东经", "经度(东经)", "学校经度")),
    Field("latitude", "纬度", "float", "°", ("北纬", "纬度(北纬)", "学校纬度")),
    *_section_fields(),
    Field("teaching_area_m2", "教学及辅助用房面积", "float", "㎡", ("教学及辅助用房",), group="school"),
    Field("indoor_sports_m2", "其中:体育馆面积", "float", "㎡",
          ("其中:室内体育用房面积", "体育馆面积", "室内体育用房面积"), group="school"),
    Field("sports_ground_m2", "运动场地面积", "float", "㎡", ("运动场地",), group="school"),
    Field("equipment_value_yuan", "教学仪器设备资产值", "float", "万元",
          ("教学仪器设备值", "教学仪器设备资产值(账面原值)"), group="school"),
    Field("teaching_computers", "教学用计算机", "int", "台",
          ("计算机台数其中教学用", "教学用计算机台数", "计算机台数(教学用)"), group="school"),
    Field("books", "图书", "int", "册", ("图书册数", "图书数"), group="school"),
    Field("multimedia_rooms", "网络多媒体教室", "int", "间", ("网络多媒体教室数",), group="school"),
    # Optional (docs/rules.md §2): converted spaces (underground, rooftop) and rented venues nearby,
    # counted for 中心城区 schools only, split between sections like the sports ground.
    Field("extra_sports_m2", "校外租赁及改造专用运动场地面积", "float", "㎡",
          ("校外租赁及改造运动场地面积", "租赁及改造专用运动场地面积", "校外租赁运动场地面积",
           "改造及租赁运动场地面积"), group="school"),
)

FIELD_BY_CODE: dict[str, Field] = {f.code: f for f in FIELDS}

#: Whole-school resource amounts split between sections of 一贯制 schools and 完全中学 (docs/rules.md §3).
SPLIT_RESOURCES = (
    "teaching_area_m2",
    "indoor_sports_m2",
    "sports_ground_m2",
    "equipment_value_yuan",
    "teaching_computers",
    "books",
    "multimedia_rooms",
)

#: Optional columns of the special provisions (docs/rules.md §2): a blank cell means "none", not a gap.
PROVISION_COLUMNS = ("visiting_pe_art_teachers_P", "visiting_pe_art_teachers_J", "extra_sports_m2", "central_urban")
#: Optional position columns (WGS-84 decimal degrees): blank means "not known", never 0.
LOCATION_COLUMNS = ("longitude", "latitude")
#: Plausible ranges of a school's position in China (ASSUMPTION: a generous box around the country,
#: to catch swapped or mistyped values); values outside are an error of the import.
LONGITUDE_RANGE = (73.0, 136.0)
LATITUDE_RANGE = (3.0, 54.0)

#: 城乡分类代码 of 统计用区划和城乡划分代码 (国家统计局), the codes the data dictionary lists → official
#: name; any other value is an error of the import (``unknown_urban_rural_code``).
URBAN_RURAL_CODES = {"111": "主城区", "112": "城乡结合区", "121": "镇中心区", "122": "镇乡结合区",
                     "123": "特殊区域", "210": "乡中心区", "220": "村庄"}

#: Accepted spellings of the 中心城区 flag (after trimming) → canonical 是 / 否.
CENTRAL_URBAN_VALUES = {"是": "是", "否": "否", "Y": "是", "N": "否", "y": "是", "n": "否",
                        "1": "是", "0": "否", "√": "是", "×": "否"}

#: Per-section teacher counts used by the indicators (not split: each teacher counts in their section).
TEACHER_COUNTS = (
    "teachers",
    "qualified_teachers",
    "senior_title_teachers",
    "backbone_teachers",
    "pe_art_teachers",
)


def school_type_name(code: int) -> str:
    """Chinese name of a 办学类型 code, or the code itself as text when unknown."""
    t = SCHOOL_TYPES.get(code)
    return t.name if t else str(code)
