"""Settings of the workspace (default: one machine, SQLite in the data folder).

Environment: ``JUNHENG_DATA_DIR`` (data folder, see :mod:`junheng.web.paths`), ``JUNHENG_DATABASE_URL``
(e.g. ``postgres://user@host:5432/junheng``; default SQLite ``<data>/junheng.sqlite3``),
``JUNHENG_ALLOWED_HOSTS`` (comma-separated), ``JUNHENG_DEBUG=1`` (development only).
Production adds :mod:`junheng.web.settings_production` (docs/web.md).
"""
from __future__ import annotations

import os
from pathlib import Path

from junheng.web.paths import DATABASE_ENV, data_dir, database, secret_key

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = data_dir()
SECRET_KEY = secret_key(DATA_DIR)
DEBUG = os.environ.get("JUNHENG_DEBUG") == "1"
ALLOWED_HOSTS = [h.strip() for h in os.environ.get("JUNHENG_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h.strip()]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "axes",
    "huey.contrib.djhuey",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "junheng.web.areas",
    "junheng.web.collection",
    "junheng.web.snapshots",
    "junheng.web.audit",
    "junheng.web.ledgers",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
    "junheng.web.middleware.no_store",
]

ROOT_URLCONF = "junheng.web.urls"
WSGI_APPLICATION = "junheng.web.wsgi.application"

TEMPLATES = [{
    "BACKEND": "django.template.backends.django.DjangoTemplates",
    "DIRS": [BASE_DIR / "templates"],
    "APP_DIRS": True,
    "OPTIONS": {"context_processors": [
        "django.template.context_processors.request",
        "django.contrib.auth.context_processors.auth",
        "django.contrib.messages.context_processors.messages",
        "junheng.web.areas.context.role",
        "junheng.web.ledgers.context.ledger",
    ], "builtins": ["junheng.web.areas.templatetags.people"]},
}]

DATABASES = {"default": database(os.environ.get(DATABASE_ENV), DATA_DIR)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
PASSWORD_HASHERS = [
    "junheng.web.hashers.Argon2idHasher",  # Argon2id m=19 MiB, t=2, p=1 (OWASP); older argon2 hashes upgrade at login
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# login throttling (django-axes): 5 failures lock the user name from that address for 30 minutes
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.5
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked.html"

# sessions end after 2 hours without a request, and when the browser closes
SESSION_COOKIE_AGE = 2 * 60 * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
#: Our own catalogue first: Chinese names of django-axes's models in 系统管理 (web/locale/…/django.po).
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    "junheng.web.dashboards.assets.PlotlyFinder",  # vendor/plotly.min.js from the installed plotly package
]
WHITENOISE_USE_FINDERS = True  # `junheng serve` works without collectstatic; production runs it
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": DATA_DIR / "files"}},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

# uploads: a workbook above this size is refused before it is read (the importer's own guards in
# junheng.io.limits then check cells and unpacked size)
JUNHENG_MAX_UPLOAD_MB = int(os.environ.get("JUNHENG_MAX_UPLOAD_MB", "20"))
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000

# background jobs (report generation): huey on a SQLite file in the data folder, consumed by a worker
# thread inside `junheng serve` (or `python -m junheng.web run_huey` as a separate worker, docs/web.md)
HUEY = {
    "huey_class": "huey.SqliteHuey",
    "name": "junheng",
    "filename": str(DATA_DIR / "jobs.sqlite3"),
    "immediate": os.environ.get("JUNHENG_JOBS_IMMEDIATE") == "1",
    "consumer": {"workers": 1, "worker_type": "thread"},
}

# the JSON API (docs/web.md "API"): token only (``Authorization: Token …``), read-only, paginated;
# the OpenAPI schema at /api/schema/ is public
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.TokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PAGINATION_CLASS": "junheng.web.api.params.CheckedLimitOffsetPagination",
    "EXCEPTION_HANDLER": "junheng.web.api.params.handle_exception",
    "PAGE_SIZE": 200,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "均衡 · 县级共享工作平台 API",
    "DESCRIPTION": "区域、学校、学校年度记录、数据快照及其评估结果（与 junheng assess -f json 相同）。"
                   "请求头 Authorization: Token <令牌>；令牌由 junheng admin create-token 或系统管理发放。",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
