"""Creating accounts with a role (``junheng admin create-user``, the demo)."""
from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from junheng.web.areas import roles
from junheng.web.areas.models import Area, Profile, School


class AccountError(Exception):
    """The account cannot be created (Chinese message)."""


#: Told when an account names an area or school the database does not have yet.
NOT_LOADED = ("区域和学校由学校数据表建立：请先用 junheng admin import 学校数据表.xlsx --data 数据文件夹 导入"
              "（首次导入时建立省、市、县(区)、乡镇和学校），或由县级管理员批量导入。")


def display_name(user) -> str:
    """How ``user`` is named to people: the full name given at creation (``--name``, 系统管理's
    姓名), else the login name."""
    return user.get_full_name() or user.username


#: Chinese text of Django's password validators by error code (Django 5.2's zh_Hans catalogue lacks
#: some of them, e.g. the minimum length, and the command line has no request language anyway).
PASSWORD_PROBLEMS = {
    "password_too_short": "密码太短，至少要有 {min_length} 个字符。",
    "password_too_similar": "密码与用户名或姓名太相似。",
    "password_too_common": "这个密码太常见了。",
    "password_entirely_numeric": "密码不能全部是数字。",
}


def password_problems(error: ValidationError) -> list[str]:
    """The Chinese messages of a ``validate_password`` ValidationError, one per problem (a code not in
    :data:`PASSWORD_PROBLEMS` keeps Django's own text)."""
    out = []
    for e in error.error_list:
        text = PASSWORD_PROBLEMS.get(e.code)
        out.append(text.format(**(e.params or {})) if text else " ".join(e.messages))
    return out


@transaction.atomic
def create_user(username: str, password: str, role: str, *, area_code: str | None = None,
                school_id: str | None = None, full_name: str = "", check_password: bool = True):
    """Create a user with ``role`` attached to the area ``area_code`` or the school ``school_id``.

    A system administrator (role sysadmin) is a Django superuser (it may also open 系统管理).
    Raises AccountError for an existing name, an unknown role/area/school, a role/area mismatch or
    a weak password (Django's password validators, in Chinese)."""
    User = get_user_model()
    if role not in roles.ROLE_NAMES:
        raise AccountError(f"未知角色 {role}；可选：{'、'.join(f'{k}（{v}）' for k, v in roles.ROLE_NAMES.items())}。")
    if User.objects.filter(username=username).exists():
        raise AccountError(f"用户名 {username} 已存在。")
    area = school = None
    if role == roles.REPORTER:
        school = School.objects.filter(school_id=school_id or "").first()
        if school is None:
            raise AccountError(f"学校填报员须指定已登记的学校标识码（--school），找不到 {school_id or '（未指定）'}。"
                               + (NOT_LOADED if school_id else ""))
    elif role != roles.SYSADMIN:
        area = Area.objects.filter(code=area_code or "").first()
        if area is None and area_code:
            raise AccountError(f"区域代码 {area_code} 尚未建立。{NOT_LOADED}")
        if area is None or area.level not in roles.ROLE_LEVELS[role]:
            want = "、".join(dict((k, v) for k, v in (("province", "省"), ("city", "市"), ("county", "县(区)"),
                                                    ("township", "乡镇(街道)")))[lv] for lv in roles.ROLE_LEVELS[role])
            raise AccountError(f"{roles.ROLE_NAMES[role]}须指定{want}的区域代码（--area），"
                               f"{area_code or '（未指定）'}不符合。")
    user = User(username=username, first_name=full_name, is_superuser=role == roles.SYSADMIN,
                is_staff=role == roles.SYSADMIN)
    if check_password:
        try:
            validate_password(password, user)
        except ValidationError as e:
            raise AccountError("密码不符合要求：" + "".join(password_problems(e))) from None
    user.set_password(password)
    user.save()
    if role != roles.SYSADMIN:
        Profile.objects.create(user=user, role=role, area=area, school=school)
    return user


@transaction.atomic
def issue_token(username: str, renew: bool = False) -> str:
    """The API token of ``username`` (made on first call; ``renew`` replaces it, the old one stops working).

    Raises AccountError for an unknown or inactive user name."""
    from rest_framework.authtoken.models import Token

    user = get_user_model().objects.filter(username=username, is_active=True).first()
    if user is None:
        raise AccountError(f"没有可用的账号 {username}。")
    if renew:
        Token.objects.filter(user=user).delete()
    return Token.objects.get_or_create(user=user)[0].key
