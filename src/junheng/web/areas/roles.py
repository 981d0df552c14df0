"""The roles of the workspace and what each may do (docs/web.md "角色").

Each account has one role and, except the system administrator, one area (or school) it works in.
Reading is decided by :mod:`junheng.web.areas.scope` (which rows a user can see at all); the
capabilities below decide what a user may *do* with a row they can see.
"""
from __future__ import annotations

REPORTER = "reporter"
COUNTY_REVIEWER = "county_reviewer"
COUNTY_ADMIN = "county_admin"
TOWNSHIP_VIEWER = "township_viewer"
INSPECTOR = "inspector"
SYSADMIN = "sysadmin"

#: Role code → Chinese name shown in the interface.
ROLE_NAMES = {
    REPORTER: "学校填报员",
    COUNTY_REVIEWER: "县级审核员",
    COUNTY_ADMIN: "县级管理员",
    TOWNSHIP_VIEWER: "乡镇查看员",
    INSPECTOR: "市/省级督导（只读）",
    SYSADMIN: "系统管理员",
}
ROLE_CHOICES = list(ROLE_NAMES.items())

#: The area level each role is attached to (a reporter is attached to a school).
ROLE_LEVELS = {
    COUNTY_REVIEWER: ("county",),
    COUNTY_ADMIN: ("county",),
    TOWNSHIP_VIEWER: ("township",),
    INSPECTOR: ("city", "province"),
}

COUNTY_ROLES = (COUNTY_REVIEWER, COUNTY_ADMIN)
#: Roles that see frozen snapshots and their assessments (county and above).
SNAPSHOT_ROLES = (COUNTY_REVIEWER, COUNTY_ADMIN, INSPECTOR, SYSADMIN)
#: Roles that read the audit log.
AUDIT_ROLES = (COUNTY_REVIEWER, COUNTY_ADMIN, INSPECTOR, SYSADMIN)
