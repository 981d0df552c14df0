"""Which columns a pack needs per section with pupils (core/requirements.py), and the plain result
objects of the county checks (core/county_result.py)."""
from junheng.core.county_result import Failure, combine
from junheng.core.requirements import missing_fields
from junheng.rules import load_rules

from .helpers import school, table

BASIC = load_rules("basic-2012")
SCHOOL_WIDE = {"teaching_area_m2", "sports_ground_m2", "equipment_value_yuan", "teaching_computers", "books"}
TEACHERS = ("teachers", "qualified_teachers", "senior_title_teachers")


def missing(rows) -> set[str]:
    return {f.code for f in missing_fields([], table(rows), BASIC)}


def test_sections_with_pupils_decide_the_teacher_columns():
    assert missing([school("2152990001", students_P=1)]) == SCHOOL_WIDE | {f"{t}_P" for t in TEACHERS}
    assert missing([school("3152990001", 311, students_J=1)]) == SCHOOL_WIDE | {f"{t}_J" for t in TEACHERS}
    both = missing([school("2152990001", students_P=5), school("3152990002", 311, students_J=7)])
    assert both == SCHOOL_WIDE | {f"{t}_{s}" for t in TEACHERS for s in "PJ"}


def test_no_pupils_or_empty_counts_need_no_section():
    assert missing([school("2152990001", students_P=0, students_J=0)]) == SCHOOL_WIDE
    assert missing([school("2152990001", students_P=None, students_J=None)]) == SCHOOL_WIDE
    assert missing([school("2152990001")]) == SCHOOL_WIDE  # no students columns at all


def test_failure_text_marks_only_veto_items():
    # the core's Failure carries a finding; report/narrative/findings.failure_line words it (issue 13)
    from junheng.core.findings import finding
    from junheng.report.narrative.findings import failure_line

    f = Failure("veto", "一票否决", "V1", "安全事故", finding("veto.present"), veto=True)
    assert failure_line(f) == "【一票否决】一票否决 V1 安全事故：存在该情形"
    g = Failure("guarantee", "政府保障程度", "G5", "班额", finding("class_size.averages_over", sections=2))
    assert failure_line(g) == "政府保障程度 G5 班额：学校表显示 2 个学段平均班额超标（未提供班级表）"


def test_combine():
    assert combine([True, True]) is True
    assert combine([True, None]) is None and combine([]) is None
    assert combine([None, False]) is False and combine(iter([True, False])) is False
