"""Public API under load: gunicorn with production settings, 50 concurrent keep-alive clients.

Runs the same gunicorn (same workers, threads and middleware) twice: once with a bare Django JSON view, once with
the project, and hits public API endpoints (regions, support programs, listings of every prefecture, trial stays)
for a fixed time, as anonymous clients: their reads are served from the public cache once warm
(`NIKYOTEN_PUBLIC_API_CACHE_SECONDS`, 60 by default; set it to 0 to measure the views themselves). Prints throughput, p50/p95/p99 and errors, and the
API's throughput as a share of the bare view's (architecture target: ≥ 60 %, p99 ≤ 250 ms, zero errors).

    .venv/bin/python bench/api_load.py [--clients 50] [--seconds 20] [--workers 2] [--threads 8]

Needs a database with the reference data and demo content (`make setup`), read from DATABASE_URL as usual.
"""

import argparse
import http.client
import os
import random
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
PREFECTURES = [f"{code:02d}" for code in range(1, 48)]
PATHS = [
    "/api/v1/regions/prefectures/",
    *(f"/api/v1/regions/municipalities/?prefecture={code}" for code in PREFECTURES),
    "/api/v1/regions/municipalities/39412/",
    "/api/v1/regions/municipalities/?q=" + quote("しまんと"),
    "/api/v1/regions/postal-codes/7860000/",
    "/api/v1/support/programs/",
    *(f"/api/v1/housing/listings/?prefecture={code}" for code in PREFECTURES),
    "/api/v1/housing/trial-stays/",
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start(settings: str, port: int, workers: int, threads: int) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": settings,
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": "bench-" + "x" * 50,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
    }
    command = [
        str(ROOT / ".venv/bin/gunicorn"),
        "config.wsgi",
        "--pythonpath",
        f"{ROOT},{ROOT / 'bench'}",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--threads",
        str(threads),
        "--keep-alive",
        "30",
        "--log-level",
        "warning",
    ]
    process = subprocess.Popen(command, cwd=ROOT, env=env)  # noqa: S603
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return process
        except OSError:
            time.sleep(0.2)
    process.kill()
    sys.exit(f"gunicorn ({settings}) did not start")


def load(port: int, paths: list[str], clients: int, seconds: float) -> tuple[list[float], int, int]:
    """Latencies (ms) of the answered requests, the number of errors, and the number of requests sent."""
    latencies: list[float] = []
    errors = 0
    sent = 0
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds
    headers = {"X-Forwarded-Proto": "https", "Accept": "application/json"}

    def client(seed: int) -> None:
        nonlocal errors, sent
        rng = random.Random(seed)
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        mine: list[float] = []
        my_errors = 0
        while time.monotonic() < stop_at:
            path = rng.choice(paths)
            started = time.perf_counter()
            try:
                connection.request("GET", path, headers=headers)
                response = connection.getresponse()
                response.read()
                ok = response.status == 200
            except (OSError, http.client.HTTPException):
                ok = False
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            if ok:
                mine.append((time.perf_counter() - started) * 1000)
            else:
                my_errors += 1
        connection.close()
        with lock:
            latencies.extend(mine)
            errors += my_errors
            sent += len(mine) + my_errors

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, errors, sent


def run(name: str, settings: str, paths: list[str], args: argparse.Namespace) -> float:
    port = free_port()
    server = start(settings, port, args.workers, args.threads)
    try:
        load(port, paths, args.clients, 2)  # warm-up: imports, connections, caches
        latencies, errors, sent = load(port, paths, args.clients, args.seconds)
    finally:
        server.terminate()
        server.wait(timeout=10)
    throughput = len(latencies) / args.seconds
    cuts = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else [0.0] * 99
    print(
        f"{name:<5} {throughput:8.1f} req/s   p50 {cuts[49]:7.1f} ms   p95 {cuts[94]:7.1f} ms   "
        f"p99 {cuts[98]:7.1f} ms   errors {errors}/{sent}"
    )
    return throughput


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=8)
    args = parser.parse_args()
    print(
        f"{args.clients} clients, {args.seconds:.0f} s, gunicorn {args.workers} workers × {args.threads} threads, "
        f"database {os.environ.get('DATABASE_URL', 'sqlite (db.sqlite3)')}"
    )
    bare = run("bare", "bare_settings", ["/bare/"], args)
    api = run("api", "config.settings", PATHS, args)
    print(f"API throughput = {api / bare:.0%} of the bare view's")


if __name__ == "__main__":
    main()
