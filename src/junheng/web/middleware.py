"""Response headers of the workspace's own pages."""
from __future__ import annotations

from django.utils.cache import patch_cache_control


def no_store(get_response):
    """Signed-in pages and downloads are ``Cache-Control: private, no-store``.

    A page shows the state of a moment (a record's version, "已保存（第 3 版，10:42）。", a child's
    record): the browser must not show it again from its cache or back-forward cache when the user
    goes back — the fresh reader saw a stale "已保存。" after moving on — nor keep personal data on a
    shared computer. Static files (whitenoise, before this middleware) stay cacheable; a response
    that sets its own Cache-Control keeps it.
    """
    def middleware(request):
        response = get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not response.has_header("Cache-Control"):
            patch_cache_control(response, private=True, no_store=True)
        return response
    return middleware
