"""Test set-up shared by the whole suite: fast password hashing and the real municipality master, loaded once."""

import os
import tempfile
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings


def pytest_configure(config: pytest.Config) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.PUBLIC_API_CACHE_SECONDS = (
        0  # tests see every write at once; core/tests/test_cache.py turns it on
    )
    settings.STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"
    if settings.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
        # A file rather than shared-cache memory, so that threads lock it as in production (booking
        # concurrency tests); one per process, and xdist workers add their own suffix.
        name = Path(tempfile.gettempdir()) / f"nikyoten-test-{os.getpid()}.sqlite3"
        settings.DATABASES["default"].setdefault("TEST", {})["NAME"] = str(name)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: Any, django_db_blocker: Any) -> None:
    """Every test database holds the real master built from the registry packages (as `make demo` does)."""
    from nikyoten.regions import reference_data
    from nikyoten.regions.services import reference_data_load

    with django_db_blocker.unblock():
        reference_data_load(data=reference_data.build())


@pytest.fixture(autouse=True)
def _clear_cache() -> None:
    """Rate-limit counters live in the cache; each test starts with none."""
    from django.core.cache import cache

    cache.clear()
