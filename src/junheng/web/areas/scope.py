"""The one scoping layer: which rows a user may see, and what they may do with them.

Every view fetches its rows through these querysets (``get_object_or_404(scope.records(user), pk=…)``),
so a row outside the user's area is a 404 whatever id is guessed; actions on a visible row are
checked by the ``can_*`` functions (403 otherwise, :func:`require`). tests/web/test_scope_walk.py
walks every URL for every role.

Visibility (docs/web.md "角色"):

* 学校填报员: their school and its records.
* 乡镇查看员: schools and records of their township (read only).
* 县级审核员 / 县级管理员: everything of their county.
* 市/省级督导: everything in their city/province, read only.
* 系统管理员 (``is_superuser`` or role sysadmin): everything.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet

from junheng.web.areas import roles
from junheng.web.areas.models import Area, School


@dataclass(frozen=True)
class Who:
    """The role of a signed-in user and where it applies (area or school; None for the system administrator)."""

    role: str | None
    area: Area | None = None
    school: School | None = None

    @property
    def name(self) -> str:
        return roles.ROLE_NAMES.get(self.role, "无角色")


def who(user) -> Who:
    """The :class:`Who` of ``user`` (an account without a profile has no role and sees nothing)."""
    if not user.is_authenticated:
        return Who(None)
    if user.is_superuser:
        return Who(roles.SYSADMIN)
    cached = getattr(user, "_junheng_who", None)
    if cached is None:
        p = getattr(user, "profile", None)
        cached = Who(None) if p is None else Who(p.role, p.area, p.school)
        user._junheng_who = cached
    return cached


def _under(prefix: str, field: str) -> Q:
    """Rows whose path ``field`` is ``prefix`` or below it."""
    return Q(**{field: prefix}) | Q(**{f"{field}__startswith": prefix + "/"})


def areas(user) -> QuerySet[Area]:
    """Areas the user may see: their area, what is below it and (for orientation) the areas above it."""
    w = who(user)
    if w.role == roles.SYSADMIN:
        return Area.objects.all()
    base = w.area or (w.school.township or w.school.county if w.school else None)
    if base is None:
        return Area.objects.none()
    above = base.path.split("/")
    ancestors = ["/".join(above[:i]) for i in range(1, len(above))]
    return Area.objects.filter(_under(base.path, "path") | Q(path__in=ancestors))


def schools(user) -> QuerySet[School]:
    """Schools the user may see."""
    w = who(user)
    if w.role == roles.SYSADMIN:
        return School.objects.all()
    if w.role == roles.REPORTER:
        return School.objects.filter(pk=w.school.pk) if w.school else School.objects.none()
    if w.area is None:
        return School.objects.none()
    return School.objects.filter(_under(w.area.path, "area_path"))


def records(user):
    """School-year records the user may see (those of :func:`schools`)."""
    from junheng.web.collection.models import SchoolYear

    return SchoolYear.objects.filter(school__in=schools(user)).select_related("school", "school__county")


def counties(user) -> QuerySet[Area]:
    """Counties whose county pages (progress, import, snapshots) the user may open."""
    w = who(user)
    qs = Area.objects.filter(level="county")
    if w.role == roles.SYSADMIN:
        return qs
    if w.role not in roles.SNAPSHOT_ROLES or w.area is None:
        return qs.none()
    return qs.filter(_under(w.area.path, "path"))


def snapshots(user):
    """Snapshots the user may see (of :func:`counties`)."""
    from junheng.web.snapshots.models import Snapshot

    return Snapshot.objects.filter(county__in=counties(user)).select_related("county")


def report_jobs(user):
    """Report jobs the user may see (those of :func:`snapshots`)."""
    from junheng.web.snapshots.models import ReportJob

    return ReportJob.objects.filter(snapshot__in=snapshots(user)).select_related("snapshot", "snapshot__county")


def audit(user):
    """Audit entries the user may read (reviewers and above, in their area)."""
    from junheng.web.audit.models import AuditEntry

    w = who(user)
    if w.role == roles.SYSADMIN:
        return AuditEntry.objects.all()
    if w.role not in roles.AUDIT_ROLES or w.area is None:
        return AuditEntry.objects.none()
    return AuditEntry.objects.filter(county__in=counties(user))


# ---- what a user may do with a row they can see ---------------------------------------------

def can_edit(user, record) -> bool:
    """The school's reporter edits, submits and uploads a draft or returned record."""
    return is_reporter_of(user, record) and record.editable


def is_reporter_of(user, record) -> bool:
    """True for the reporter of the record's school (whatever state the record is in)."""
    w = who(user)
    return w.role == roles.REPORTER and w.school is not None and record.school_id == w.school.pk


def can_review(user, record) -> bool:
    """A county reviewer or administrator of the record's county approves or returns a submitted record."""
    return record.status == record.SUBMITTED and is_county_staff(user, record.school.county)


def is_county_staff(user, county: Area, admin_only: bool = False) -> bool:
    """True for a county reviewer/administrator (or, admin_only, an administrator) of ``county``, or a system administrator."""
    w = who(user)
    if w.role == roles.SYSADMIN:
        return True
    allowed = (roles.COUNTY_ADMIN,) if admin_only else roles.COUNTY_ROLES
    return w.role in allowed and w.area is not None and w.area.pk == county.pk


def can_manage(user, county: Area) -> bool:
    """A county administrator imports the school table and freezes snapshots of ``county``."""
    return is_county_staff(user, county, admin_only=True)


def can_publish(user, county: Area) -> bool:
    """A county reviewer or administrator (or a system administrator) generates the official
    reports of ``county``'s snapshots; inspectors and township viewers only read them."""
    return is_county_staff(user, county)


def require(allowed: bool) -> None:
    """Raise PermissionDenied (403) unless ``allowed``."""
    if not allowed:
        raise PermissionDenied("您的账号没有进行此操作的权限。")


# ---- ledgers (docs/ledgers.md) -----------------------------------------------------------------

def rect_items(user):
    """整改台账 items the user may see: a reporter those of their school; a township viewer those of
    their township's schools; county staff and inspectors those of the counties in their area; and
    anyone the items naming their account as 责任人账号."""
    from junheng.web.ledgers.models import RectItem

    qs = RectItem.objects.select_related("county", "school", "owner_user")
    mine = qs.filter(owner_user=user) if user.is_authenticated else qs.none()
    return _ledger_rows(user, qs, lambda w: Q(school__in=schools(user))) | mine


def _ledger_rows(user, qs, township: Callable[[Who], Q]):
    """``qs`` (rows with ``county`` and ``school``) scoped as the ledgers are: everything for the system
    administrator, the reporter's school, the township viewer's ``township(w)``, else the counties
    in the user's area."""
    w = who(user)
    if w.role == roles.SYSADMIN:
        return qs
    if w.role == roles.REPORTER:
        return qs.filter(school=w.school) if w.school else qs.none()
    if w.area is None:
        return qs.none()
    if w.role == roles.TOWNSHIP_VIEWER:
        return qs.filter(township(w))
    return qs.filter(county__in=Area.objects.filter(level="county").filter(_under(w.area.path, "path")))


def ledger_counties(user) -> QuerySet[Area]:
    """Counties whose ledger pages the user may open (county staff and inspectors: as :func:`counties`;
    a reporter or township viewer: their own county, showing only their items)."""
    w = who(user)
    if w.role in (roles.REPORTER, roles.TOWNSHIP_VIEWER):
        county = w.school.county if w.school else (w.area.parent if w.area else None)
        return Area.objects.filter(pk=county.pk) if county else Area.objects.none()
    return counties(user)


def can_own_items(user, county) -> bool:
    """An account that may be named 责任人账号 of an item of ``county``: one working in the county."""
    w = who(user)
    where = w.school.county if w.school else w.area
    return where is not None and county.contains(where) if w.role != roles.SYSADMIN else False


def can_work_item(user, item) -> bool:
    """County staff of the item's county, the item's school's reporter or the item's named account
    write progress notes, upload evidence and report the item done."""
    w = who(user)
    if is_county_staff(user, item.county):
        return True
    if item.owner_user_id is not None and item.owner_user_id == user.pk:
        return True
    return w.role == roles.REPORTER and w.school is not None and item.school_id == w.school.pk


def digest_counties(user) -> QuerySet[Area]:
    """Counties whose 日报/周报 page the user may open: :func:`counties`, and a township viewer's county."""
    w = who(user)
    if w.role == roles.TOWNSHIP_VIEWER and w.area is not None and w.area.parent_id:
        return Area.objects.filter(pk=w.area.parent_id)
    return counties(user)


def digests(user):
    """日报/周报 the user may read: those of :func:`counties` (county and township ones); a township
    viewer those of their township."""
    from junheng.web.ledgers.models import Digest

    w = who(user)
    qs = Digest.objects.select_related("county", "township")
    if w.role == roles.TOWNSHIP_VIEWER:
        return qs.filter(township=w.area) if w.area else qs.none()
    return qs.filter(county__in=counties(user))


def children(user):
    """Children of the 控辍保学 ledgers the user may see: a reporter those registered in their
    school; a township viewer those of their township; county staff and inspectors those of the
    counties in their area (inspectors without names: :func:`can_see_identity`)."""
    from junheng.web.ledgers.models import Child

    return _ledger_rows(user, Child.objects.select_related("county", "township", "school"),
                        lambda w: Q(township=w.area))


def can_see_identity(user, county) -> bool:
    """Names, guardians and phones of children: the roles that act on them (county staff, the
    township, the school); not inspectors (they see masked names). Identity numbers are masked
    for everyone outside a child's own page (docs/ledgers.md "隐私")."""
    w = who(user)
    return w.role in (roles.REPORTER, roles.TOWNSHIP_VIEWER) or is_county_staff(user, county)


def can_work_child(user, child) -> bool:
    """County staff, and the reporter of the child's school, write 劝返 records and absent days."""
    w = who(user)
    if is_county_staff(user, child.county):
        return True
    return w.role == roles.REPORTER and w.school is not None and child.school_id == w.school.pk


def can_export_children(user, county) -> bool:
    """Only a county administrator exports children's personal data."""
    return is_county_staff(user, county, admin_only=True)


def projects(user):
    """攻坚作战一览表 projects: as :func:`rect_items` (a school's reporter sees its school's projects)."""
    from junheng.web.ledgers.models import Project

    return _ledger_rows(user, Project.objects.select_related("county", "school"),
                        lambda w: Q(school__in=schools(user)))
