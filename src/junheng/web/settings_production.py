"""Production settings: the defaults plus HTTPS-only cookies and headers (behind a TLS proxy).

Use with ``DJANGO_SETTINGS_MODULE=junheng.web.settings_production`` and set
``JUNHENG_ALLOWED_HOSTS``; the proxy must pass ``X-Forwarded-Proto`` (docs/web.md).
``python -m django check --deploy`` is clean under these settings (tests/web/test_security.py).
"""
from junheng.web.settings import *  # noqa: F403

DEBUG = False
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = 31536000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = False
SILENCED_SYSTEM_CHECKS = ["security.W021"]  # HSTS preload: an intranet host is not on the preload list
