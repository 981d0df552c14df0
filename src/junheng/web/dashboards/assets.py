"""plotly.js served from the installed ``plotly`` Python package: a static-files finder that offers
exactly one file, ``vendor/plotly.min.js`` (whitenoise serves it; ``collectstatic`` copies it into
the data folder's ``static/``, never into the repository). No CDN."""
from __future__ import annotations

from pathlib import Path

from django.contrib.staticfiles.finders import BaseFinder
from django.core.files.storage import FileSystemStorage

#: The URL path (under STATIC_URL) of plotly.js.
PLOTLY_JS = "vendor/plotly.min.js"


def plotly_js_file() -> Path:
    """The plotly.min.js shipped inside the installed plotly package (raises ImportError without plotly)."""
    import plotly

    return Path(plotly.__file__).resolve().parent / "package_data" / "plotly.min.js"


class PlotlyFinder(BaseFinder):
    """Finds ``vendor/plotly.min.js`` in the plotly package (settings.STATICFILES_FINDERS)."""

    def _storage(self) -> FileSystemStorage:
        storage = FileSystemStorage(location=str(plotly_js_file().parent))
        storage.prefix = "vendor"  # collectstatic writes it as vendor/plotly.min.js
        return storage

    def check(self, **kwargs):
        return []

    def find(self, path, find_all=False, **kwargs):
        if path != PLOTLY_JS:
            return [] if find_all else None
        found = str(plotly_js_file())
        return [found] if find_all else found

    def list(self, ignore_patterns):
        yield plotly_js_file().name, self._storage()
