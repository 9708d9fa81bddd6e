"""Browser tests: a real server on a throw-away SQLite file, driven by Debian's chromium through Playwright.

These are plain pytest functions. They never touch pytest-django's test database: the server runs in its own
process (``manage.py runserver``) on a temporary database prepared the way ``make setup`` does it.
"""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
# 地理院タイル cannot load here (no internet); the map must fall back to its text position.
TILE_HOST_PATTERN = "https://cyberjapandata.gsi.go.jp/**"
SERVER_START_TIMEOUT = 30.0
BLOCKING_IMPACTS = {"serious", "critical"}


@pytest.fixture(scope="session")
def chromium_executable() -> Path:
    """Debian's chromium; missing in CI is a failure, missing elsewhere skips the browser tests."""
    if CHROMIUM.exists():
        return CHROMIUM
    message = (
        f"{CHROMIUM} が見つかりません / not found: the browser tests need Debian's chromium "
        "(`apt-get install chromium`). Playwright's own browsers are not used."
    )
    if os.environ.get("CI") == "true":
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="session")
def demo_password() -> str:
    return f"e2e-{secrets.token_urlsafe(12)}"


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _manage(env: dict[str, str], *args: str) -> None:
    command = [sys.executable, "manage.py", *args]
    result = subprocess.run(command, cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=300)
    if result.returncode != 0:
        pytest.fail(
            f"`{' '.join(command)}` failed ({result.returncode}):\n{result.stdout}\n{result.stderr}",
            pytrace=False,
        )


def _wait_until_up(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + SERVER_START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"runserver exited with {process.returncode}:\n{log.read_text()}", pytrace=False)
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.1)
    pytest.fail(f"runserver did not answer {url} within {SERVER_START_TIMEOUT:.0f} s:\n{log.read_text()}")


@pytest.fixture(scope="session")
def server_url(
    chromium_executable: Path, demo_password: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """A server on a fresh SQLite file with the reference data and demo content, as `make setup` makes it."""
    workdir = tmp_path_factory.mktemp("e2e-server")
    database = workdir / "db.sqlite3"
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{database}",
        "DJANGO_DEBUG": "true",
        "PYTHONUNBUFFERED": "1",
        # Every flow signs in from 127.0.0.1 within a few minutes; the limits themselves are tested in the unit tests.
        "NIKYOTEN_RATELIMIT_LOGIN": "1000/m",
    }
    _manage(env, "migrate", "--noinput")
    _manage(env, "load_reference_data", "-v0")
    _manage(env, "seed_demo", "--password", demo_password)

    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    log = workdir / "runserver.log"
    with log.open("wb") as log_file:
        process = subprocess.Popen(
            [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
            cwd=REPO_ROOT,
            env=env,
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
        try:
            _wait_until_up(f"{url}/", process, log)
            yield url
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@pytest.fixture(scope="session")
def browser(chromium_executable: Path) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(chromium_executable), headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def new_page(browser: Any, server_url: str) -> Iterator[Callable[..., Any]]:
    """Open pages in fresh contexts (own cookies), Japanese by default, with the map tiles blocked."""
    contexts: list[Any] = []

    def open_page(**context_options: Any) -> Any:
        options = {"base_url": server_url, "locale": "ja-JP", **context_options}
        context = browser.new_context(**options)
        context.set_default_timeout(10_000)
        context.route(TILE_HOST_PATTERN, lambda route: route.abort())
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page: Callable[..., Any]) -> Any:
    return new_page()


@pytest.fixture(scope="session")
def axe() -> Any:
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


@pytest.fixture
def assert_accessible(axe: Any) -> Callable[[Any], None]:
    """Run axe-core on the page as it is now; fail on any serious or critical violation, listing the nodes."""

    def check(page: Any) -> None:
        results = axe.run(page)
        blocking = [v for v in results.response["violations"] if v.get("impact") in BLOCKING_IMPACTS]
        if blocking:
            lines = [f"axe: {len(blocking)} serious/critical violation(s) on {page.url}"]
            for violation in blocking:
                lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
                for node in violation["nodes"]:
                    lines.append(f"    {node['target']}: {node.get('failureSummary', '').splitlines()[-1:]}")
            pytest.fail("\n".join(lines), pytrace=False)

    return check
