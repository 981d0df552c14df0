"""WSGI entry point (gunicorn ``junheng.web.wsgi:application``).

The URL configuration is loaded here, when a worker starts, so that importing every view (and with
them polars and the importer, about 1–2 s of CPU) is not paid by the first request each worker
serves (bench/bench_web.py: 200 reporters arriving at once).
"""
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "junheng.web.settings")
application = get_wsgi_application()
get_resolver().url_patterns  # noqa: B018  (imports the URLconf and every view module now)
