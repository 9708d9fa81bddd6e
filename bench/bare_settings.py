"""The project's settings with a one-view URLconf: the baseline of `api_load.py` (same middleware, same server)."""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bare_urls"
