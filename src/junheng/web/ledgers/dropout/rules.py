"""Pure rules of 控辍保学 (no database): identity numbers, masking, 疑似辍学, 初中三年巩固率.

References: GB 11643-1999 (公民身份号码: 17 digits and an ISO 7064 MOD 11-2 check character);
docs/ledgers.md "控辍保学" for the suspicion rule and the 巩固率 formula.
"""
from __future__ import annotations

import datetime as dt
import re

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"
_ID_RE = re.compile(r"^\d{17}[\dX]$")


def id_problem(text: str) -> str | None:
    """Why ``text`` is not a valid 18-character 公民身份号码 (Chinese), or None when it is.

    Checked: 17 digits then a digit or X (a lower-case x is accepted by :func:`normal_id`), a real
    birth date in characters 7–14, and the GB 11643 check character."""
    t = normal_id(text)
    if not _ID_RE.match(t):
        return "身份证号应为 18 位（前 17 位为数字，最后一位为数字或 X）"
    try:
        dt.date(int(t[6:10]), int(t[10:12]), int(t[12:14]))
    except ValueError:
        return f"身份证号中的出生日期 {t[6:14]} 不是有效日期"
    if check_char(t[:17]) != t[17]:
        return "身份证号校验位不正确（可能录入有误）"
    return None


def check_char(body: str) -> str:
    """The GB 11643 check character of the first 17 digits (ISO 7064 MOD 11-2)."""
    return _CHECK[sum(int(c) * w for c, w in zip(body, _WEIGHTS)) % 11]


def normal_id(text: str) -> str:
    """Upper case, spaces removed."""
    return re.sub(r"\s+", "", text).upper()


def birth_of(id_number: str) -> dt.date:
    """The birth date written in a valid identity number."""
    return dt.date(int(id_number[6:10]), int(id_number[10:12]), int(id_number[12:14]))


#: Compulsory-education age (周岁) on :func:`age_cutoff` of the ledger's school year: entry at 6
#: (义务教育法第十一条：年满六周岁的儿童入学；条件不具备的地区可推迟到七周岁), nine grades, so a child
#: who entered at 7 is 15 at the start of 初三. 6–15 周岁 is also the span the 控辍保学 rolls use.
SCHOOL_AGE = (6, 15)


def age_cutoff(year: int) -> dt.date:
    """31 August of ``year``: the day a school year's ages are counted on (the usual 入学年龄 cut-off
    “8 月 31 日前年满六周岁”; ASSUMPTION where a province uses another day)."""
    return dt.date(year, 8, 31)


def age_on(birth: dt.date, day: dt.date) -> int:
    """Whole years (周岁) of someone born on ``birth`` at ``day`` (a 29 February birthday counts on
    1 March in other years)."""
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def school_age_problem(birth: dt.date, year: int) -> str | None:
    """Why a child born on ``birth`` is not of compulsory-education age in the school year ``year``
    (Chinese, naming the birth date, the age and the range), or None when 6 ≤ age ≤ 15 on
    31 August of ``year`` (:data:`SCHOOL_AGE`)."""
    low, high = SCHOOL_AGE
    age = age_on(birth, age_cutoff(year))
    if low <= age <= high:
        return None
    return (f"出生日期 {birth:%Y-%m-%d}，{year} 年 8 月 31 日时{'未满 ' + str(low) if age < low else '已满 ' + str(age)} 周岁，"
            f"不在义务教育适龄范围（{low}–{high} 周岁）内")


def school_year(today: dt.date) -> int:
    """The school year under way on ``today`` (it begins on 1 September): 2026-03-01 → 2025."""
    return today.year if today.month >= 9 else today.year - 1


def mask_id(id_number: str) -> str:
    """“530101********123X”: the first 6 (region) and last 4 characters kept, the birth date and
    sequence hidden (lists and exports never show more)."""
    t = normal_id(id_number)
    return t[:6] + "*" * max(len(t) - 10, 0) + t[-4:] if len(t) > 10 else "*" * len(t)


def mask_name(name: str) -> str:
    """“张*” / “欧阳**”: the first character kept (two for a name of four or more characters)."""
    keep = 2 if len(name) >= 4 else 1
    return name[:keep] + "*" * (len(name) - keep) if len(name) > 1 else "*"


def age_on(birth: dt.date, day: dt.date) -> int:
    """Full years on ``day``."""
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def school_age(birth: dt.date, year: int) -> bool:
    """True for a child of compulsory school age in school year ``year``: 6 to 15 full years on
    31 August of that year (入学年龄以当年8月31日为界; docs/ledgers.md)."""
    return 6 <= age_on(birth, dt.date(year, 8, 31)) <= 15


def suspicion(registered: bool, absent_days: int, limit: int) -> str | None:
    """Why a child of the roll is 疑似辍学, or None: not in any school's register, or absent more
    than ``limit`` consecutive school days."""
    if not registered:
        return "未在任何学校就读（不在学籍中）"
    if absent_days > limit:
        return f"连续缺勤 {absent_days} 天，超过 {limit} 天"
    return None


def retention_rate(entered: int, graduating: int, transferred_out: int = 0, deceased: int = 0) -> float | None:
    """初中三年巩固率 (%) of one cohort: graduating ÷ (entered − transferred_out − deceased) × 100.

    entered: the cohort's pupils in 初一 three years before; graduating: those of them in school
    in the graduating year (初三); transfers out of the county and deaths leave the denominator.
    None when the denominator is not positive. Raises ValueError for negative counts or more
    graduating pupils than the denominator."""
    if min(entered, graduating, transferred_out, deceased) < 0:
        raise ValueError("人数不能为负数")
    base = entered - transferred_out - deceased
    if base <= 0:
        return None
    if graduating > base:
        raise ValueError(f"毕业年级人数 {graduating} 超过入学人数减转出、死亡 {base}")
    return graduating / base * 100


def cohort_counts(children) -> tuple[int, int, int, int]:
    """(entered, graduating, transferred_out, deceased) of one cohort for :func:`retention_rate`.

    children: iterable of (state, outcome, registered, deceased) with the codes of
    ledgers.models.Child: a child counts as in school unless confirmed 辍学, 疑似辍学 without a
    school, transferred out (销号方式 转学) or deceased."""
    entered = graduating = transferred = dead = 0
    for state, outcome, registered, deceased in children:
        entered += 1
        if deceased:
            dead += 1
        elif state == "closed" and outcome == "transferred":
            transferred += 1
        elif state == "dropout" or (state == "suspected" and not registered):
            continue
        else:
            graduating += 1
    return entered, graduating, transferred, dead


def period_start(day: dt.date, months: int) -> dt.date:
    """The first day of the month (months=1) or quarter (months=3) that contains ``day``."""
    return dt.date(day.year, (day.month - 1) // months * months + 1, 1)


def report_due(last: dt.date | None, today: dt.date, months: int) -> bool:
    """True when nothing was reported since the start of the current period: the schools' monthly
    report (months=1) of a child's attendance, the county's quarterly re-check (months=3) of a
    疑似辍学/辍学 child (docs/ledgers.md "报告周期")."""
    return last is None or last < period_start(today, months)
