"""Load the area tree and the schools of a canonical school table (junheng.io) into the database.

Province = the first 2 digits of the 县(区)代码, city = the first 4 (GB/T 2260); townships come from
the 乡镇(街道) column. Used by the county bulk import and by ``junheng serve --demo``.
"""
from __future__ import annotations

from junheng.web.areas.models import Area, School

#: Official names of the provincial-level divisions by the first two digits of the code (GB/T 2260).
PROVINCES = {
    "11": "北京市", "12": "天津市", "13": "河北省", "14": "山西省", "15": "内蒙古自治区", "21": "辽宁省",
    "22": "吉林省", "23": "黑龙江省", "31": "上海市", "32": "江苏省", "33": "浙江省", "34": "安徽省",
    "35": "福建省", "36": "江西省", "37": "山东省", "41": "河南省", "42": "湖北省", "43": "湖南省",
    "44": "广东省", "45": "广西壮族自治区", "46": "海南省", "50": "重庆市", "51": "四川省", "52": "贵州省",
    "53": "云南省", "54": "西藏自治区", "61": "陕西省", "62": "甘肃省", "63": "青海省", "64": "宁夏回族自治区",
    "65": "新疆维吾尔自治区", "71": "台湾省", "81": "香港特别行政区", "82": "澳门特别行政区",
}


def _node(code: str, name: str, level: str, parent: Area | None) -> Area:
    area = Area.objects.filter(code=code).first()
    if area is None:
        area = Area(code=code, name=name, level=level, parent=parent)
        area.save()
    return area


def county_area(county_code: str, county_name: str | None) -> Area:
    """The county's Area (with its province and city created when missing)."""
    province = _node(county_code[:2], PROVINCES.get(county_code[:2], f"省级区划 {county_code[:2]}"), "province", None)
    city = _node(county_code[:4], f"地市 {county_code[:4]}", "city", province)
    return _node(county_code, county_name or f"县(区) {county_code}", "county", city)


def township_area(county: Area, name: str | None) -> Area | None:
    """The township ``name`` of ``county`` (created when missing); None for a blank name."""
    if not name:
        return None
    return _node(f"{county.code}-{name}", name, "township", county)


def upsert_school(county: Area, row: dict) -> tuple[School, bool]:
    """Create or update the School of one canonical row (school_id, name, township, school_type).

    Returns (school, created). The caller has checked that the row belongs to ``county``.
    """
    town = township_area(county, row.get("township"))
    school = School.objects.filter(school_id=row["school_id"]).first()
    created = school is None
    if created:
        school = School(school_id=row["school_id"])
    school.name, school.county, school.township, school.school_type = (
        row["name"], county, town, row["school_type"])
    school.save()
    return school, created
