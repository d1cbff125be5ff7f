"""Settings of bench/month_end.py: the test settings with a real broker and shared storage.

The bench process and the Celery worker it starts both use this module: the same throw-away
database (MUTUALISE_TEST_DB_NAME), the same private-file folder (MUTUALISE_BENCH_PRIVATE_ROOT,
a temporary folder the bench creates) and Redis (REDIS_URL) as broker; tasks are not eager.
"""

import os

from tests.settings import *  # noqa: F403
from tests.settings import STORAGES

if os.environ.get("MUTUALISE_BENCH_PRIVATE_ROOT"):
    STORAGES["default"]["OPTIONS"]["location"] = os.environ["MUTUALISE_BENCH_PRIVATE_ROOT"]
CELERY_TASK_ALWAYS_EAGER = False
ALLOWED_HOSTS = ["testserver", "localhost"]
