"""Settings for the benchmarks: the app's settings on a dedicated SQLite file.

The URLconf adds the floor views (benchmarks/urls.py); the app's own URLs do not change.
"""

from leerplek.settings import *  # noqa: F403
from leerplek.settings import BASE_DIR

BENCH_DB = BASE_DIR / "benchmarks" / "results" / "bench.sqlite3"

DEBUG = False  # as in production: no debug toolbar of queries kept per request
ROOT_URLCONF = "benchmarks.urls"
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(BENCH_DB),
        "CONN_MAX_AGE": 0,
        "OPTIONS": {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
            ),
        },
    }
}
