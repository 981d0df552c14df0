"""Settings of the web tests: the workspace settings on a temporary data folder; a fast password
hasher (Argon2 stays first in production settings: tests/web/test_security.py checks it)."""
import atexit
import os
import shutil
import tempfile

os.environ.setdefault("JUNHENG_JOBS_IMMEDIATE", "1")  # report jobs run at once, in the request
if "JUNHENG_DATA_DIR" not in os.environ:
    os.environ["JUNHENG_DATA_DIR"] = tempfile.mkdtemp(prefix="junheng-test-data-")
    atexit.register(shutil.rmtree, os.environ["JUNHENG_DATA_DIR"], True)

from junheng.web.settings import *  # noqa: E402,F403

PRODUCTION_HASHERS = PASSWORD_HASHERS  # noqa: F405
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
