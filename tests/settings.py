"""Test settings: the production settings module with fast, local, deterministic overrides."""

import os
import tempfile

os.environ.setdefault("DJANGO_SECRET_KEY", "tests-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz")
os.environ.setdefault("MUTUALISE_HTTPS", "0")

from backoffice.settings import *  # noqa: E402,F403
from backoffice.settings import BASE_DIR, DATABASES, STORAGES  # noqa: E402

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_TASK_ALWAYS_EAGER = True  # the real-worker test configures its own app against Redis
STORAGES["default"]["OPTIONS"]["location"] = tempfile.mkdtemp(prefix="mutualise-test-private-")
STATIC_ROOT = tempfile.mkdtemp(prefix="mutualise-test-static-")
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
LANGUAGE_CODE = "fr"
# French formats and Django's own French messages stay on, but the project's French catalogue
# (locale/) is off: the suite asserts the English msgids it is written with. tests/test_i18n.py
# switches it on (override_settings(LOCALE_PATHS=[BASE_DIR / "locale"])) and checks that it is
# complete, compiled and used by the pages.
LOCALE_PATHS = []

# A Celery worker started by a test connects to the test database the test run created.
if os.environ.get("MUTUALISE_TEST_DB_NAME"):
    DATABASES["default"]["NAME"] = os.environ["MUTUALISE_TEST_DB_NAME"]
elif DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # A file, not memory, so a Celery worker process can read what a test wrote.
    # One file per test process, so parallel runs never share (or flush) each other's database.
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / "var" / f"test-db-{os.getpid()}.sqlite3")}

# Django's live server (browser tests) wraps every request in a media handler that needs a
# string MEDIA_URL. Production keeps MEDIA_URL = None (no public media at all); here it points
# to an empty folder that holds nothing, so the live server serves no private file either.
MEDIA_URL = "/_live-server-media-empty/"
MEDIA_ROOT = tempfile.mkdtemp(prefix="mutualise-test-empty-media-")

# The spreadsheet memory ceiling starts a child interpreter per xlsx read (~0.2 s): off for the
# suite's hundreds of reads, on in the tests that exercise it (tests/backoffice/test_spreadsheets.py).
SPREADSHEET_MEMORY_MB = 0
# seed_demo runs only in demo mode (issue 6 §3); the suite seeds demo data in many tests.
# tests/backoffice/test_deploy_safety.py checks the refusal with DEMO_MODE off.
DEMO_MODE = True
