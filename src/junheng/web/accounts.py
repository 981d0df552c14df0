"""Creating accounts with a role (``junheng admin create-user``, the demo)."""
from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.db import transaction

from junheng.web.areas import roles
from junheng.web.areas.models import Area, Profile, School


class AccountError(Exception):
    """The account cannot be created (Chinese message)."""


def display_name(user) -> str:
    """How ``user`` is named to people: the full name given at creation (``--full-name``, 系统管理's
    姓名), else the login name."""
    return user.get_full_name() or user.username


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
            raise AccountError(f"学校填报员须指定已登记的学校标识码（--school），找不到 {school_id or '（未指定）'}。")
    elif role != roles.SYSADMIN:
        area = Area.objects.filter(code=area_code or "").first()
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
        except Exception as e:  # django.core.exceptions.ValidationError: messages already in Chinese
            raise AccountError("密码不符合要求：" + "".join(getattr(e, "messages", [str(e)]))) from None
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
