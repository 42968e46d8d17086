"""Test settings: the database comes from DATABASE_URL (SQLite by default), fast hashing."""

from .base import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_THROTTLE_CLASSES": []}  # noqa: F405
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405  (WhiteNoise warns when it is missing)

# A file (not shared-cache memory) so that parallel clients in concurrency tests lock the way
# a deployed SQLite database does; pytest-xdist gives each worker its own copy.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}  # noqa: F405

# Live-server and parallel-client threads must not keep connections open past their request,
# or PostgreSQL refuses to drop the test database at the end of the run.
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405

# Tests that GET a page, change it inside the test transaction (where on_commit never runs)
# and GET it again must see the change; the page-cache tests switch the cache on themselves.
PAGE_CACHE_ENABLED = os.environ.get("PAGE_CACHE_ENABLED", "0") == "1"  # noqa: F405

# Background tasks run at once (on commit) so tests see their effect; the notifications tests
# switch to the database backend and run the worker themselves.
TASKS = {**TASKS, "background": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend",  # noqa: F405
                                 "QUEUES": ["notifications", "periodic", "search"]}}
# Fixed test keys (never used anywhere else): tests of encryption at rest read raw columns.
PERSONAL_DATA_KEYS = "test:00112233445566778899aabbccddeeff"
PERSONAL_DATA_INDEX_KEY = "ffeeddccbbaa99887766554433221100"

# Each pytest-xdist worker has its own index directory; tests of search turn applying on
# themselves (the search_index fixture), so the rest of the suite only writes the change log.
SEARCH_INDEX_DIR = Path(os.environ.get(  # noqa: F405
    "SEARCH_INDEX_DIR", VAR_DIR / f"search-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"))  # noqa: F405
SEARCH_APPLY_AFTER_COMMIT = False
