"""Time `load_reference_data`: a first load into an empty database and an idempotent second run.

Run: `.venv/bin/python bench/load_reference_data.py` — uses a temporary SQLite file, never your database.
"""

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run(env: dict[str, str], *args: str) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True)  # noqa: S603
    return time.perf_counter() - started


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp}/bench.sqlite3"}
        run(env, "migrate", "--noinput")
        first = run(env, "load_reference_data", "-v0")
        second = run(env, "load_reference_data", "-v0")
    print(
        f"load_reference_data: first load {first:.1f} s, second run (no changes) {second:.1f} s (wall, incl. start-up)"
    )


if __name__ == "__main__":
    main()
