"""Template filter ``person``: how a user is named on pages (a built-in of the workspace's templates,
settings.TEMPLATES ``builtins``; no ``{% load %}`` needed)."""
from __future__ import annotations

from django import template

from junheng.web.accounts import display_name

register = template.Library()


@register.filter
def person(user, default: str = "") -> str:
    """``{{ snap.created_by|person }}``: the user's display name (full name, else login name);
    ``default`` when there is no user (``{{ n.user|person:"系统（数据核验）" }}``)."""
    return display_name(user) if user is not None else default
