"""Query parameters of the API, checked: a filter or page that is not a valid value is a 400 with
a Chinese ``detail`` (never ignored, which would answer with everything), and the API's 404 is in
Chinese (Django's ``get_object_or_404`` says “No SchoolYear matches the given query.”)."""
from __future__ import annotations

from django.http import Http404
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.views import exception_handler

#: The most rows one page gives (``limit``) and the largest ``offset`` accepted.
MAX_LIMIT = 1000
MAX_OFFSET = 10**9
NOT_FOUND = "找不到该对象（不存在，或不在本账号的范围内）。"


def int_param(params, name: str, *, what: str, low: int = 0, high: int = MAX_OFFSET) -> int | None:
    """The integer query parameter ``name`` (None when absent or blank). Raises ValidationError
    (400, Chinese detail naming ``what`` and the range) for text, a sign or a value outside low–high."""
    text = params.get(name)
    if text is None or text.strip() == "":
        return None
    text = text.strip()
    if not (text.isascii() and text.isdigit()) or not low <= int(text) <= high:
        raise ValidationError({"detail": f"参数 {name}（{what}）应为 {low}–{high} 之间的整数，现为“{text[:40]}”。"})
    return int(text)


def choice_param(params, name: str, choices, *, what: str) -> str | None:
    """The query parameter ``name`` when it is one of ``choices`` (None when absent); else 400."""
    text = params.get(name)
    if text is None or text == "":
        return None
    if text not in choices:
        raise ValidationError({"detail": f"参数 {name}（{what}）应为 {'、'.join(choices)} 之一，现为“{text[:40]}”。"})
    return text


class CheckedLimitOffsetPagination(LimitOffsetPagination):
    """``limit`` 1–:data:`MAX_LIMIT` (default PAGE_SIZE) and ``offset`` 0–:data:`MAX_OFFSET`; anything else is a 400."""

    max_limit = MAX_LIMIT

    def get_limit(self, request):
        limit = int_param(request.query_params, self.limit_query_param, what="每页条数", low=1, high=MAX_LIMIT)
        return self.default_limit if limit is None else limit

    def get_offset(self, request):
        return int_param(request.query_params, self.offset_query_param, what="起始位置") or 0


def handle_exception(exc, context):
    """DRF's exception handler, with the 404 of ``get_object_or_404`` and ``Http404`` in Chinese."""
    if isinstance(exc, Http404 | NotFound):
        exc = NotFound(NOT_FOUND)
    return exception_handler(exc, context)
