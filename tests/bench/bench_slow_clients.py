"""Latency of normal requests to `nqdb serve`, without and with 200 slow-header sockets open (issue 9 case 4).

Usage: python -m tests.bench.bench_slow_clients [--slow 200] [--requests 50] [--work /tmp/nqdb-bench-slow]
                                                [--hold 30] [--waitress-defaults]
Builds (or reuses) a demo store, starts `nqdb serve` on 127.0.0.1 exactly as an operator would, then GETs a
qualification page `--requests` times from 127.0.0.1: first alone, then while `--slow` sockets from 127.0.0.2
each send request headers one byte per second and never finish them. Prints p50/p95/max latency, how many
requests failed (no answer within 10 s), and how many slow sockets the server still holds after the requests
and after up to `--hold` seconds. Other limits come from the environment (e.g. NQDB_SERVER_CONNECTIONS_PER_CLIENT=0).
`--waitress-defaults` runs the server with the limits waitress has out of the box (100 connections, no
header deadline, no per-client cap, 120 s idle), the configuration before issue 9 case 4.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from tests.live.slow_clients import SlowClients, nqdb_serve, timed_get

BASE = "http://nqdb.test"
WAITRESS_DEFAULTS = {"NQDB_SERVER_CONNECTION_LIMIT": "100", "NQDB_SERVER_HEADER_TIMEOUT": "0",
                     "NQDB_SERVER_CONNECTIONS_PER_CLIENT": "0", "NQDB_SERVER_IDLE_TIMEOUT": "120"}


def demo_store(work: Path) -> Path:
    """A store with the demo dataset under BASE, built once in `work`."""
    from store.core.triplestore import Store
    from store.ingest.bootstrap import initialise, load_demo

    path = work / "store"
    store = Store(path)
    if not store.is_initialised():
        initialise(store)
        load_demo(store, BASE)
    return path


def measure(label: str, url: str, requests: int) -> None:
    """GET `url` `requests` times in sequence; print latency percentiles and failures."""
    times: list[float] = []
    failures = 0
    for _ in range(requests):
        try:
            times.append(timed_get(url, timeout=10) * 1000)
        except OSError:
            failures += 1
    times.sort()
    if times:
        p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
        print(f"{label:28s} p50 {statistics.median(times):8.1f} ms   p95 {p95:8.1f} ms   "
              f"max {times[-1]:8.1f} ms   failed {failures}/{requests}")
    else:
        print(f"{label:28s} every request failed ({failures}/{requests})")


def wait_for_closes(slow: SlowClients, hold: float) -> float:
    """Keep the slow sockets dripping for up to `hold` seconds or until the server has closed them all."""
    started = time.monotonic() - slow.interval  # they connected just before the timed requests
    while time.monotonic() - started < hold and slow.open_count() > 0:
        time.sleep(1)
    return time.monotonic() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--slow", type=int, default=200)
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--work", type=Path, default=Path("/tmp/nqdb-bench-slow"))
    parser.add_argument("--waitress-defaults", action="store_true")
    parser.add_argument("--hold", type=float, default=30.0, help="seconds to watch the server close slow sockets")
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    store = demo_store(args.work)
    settings = {"NQDB_PUBLIC_BASE_URL": BASE, "NQDB_DUMPS_WATCH_SECONDS": "0",
                **(WAITRESS_DEFAULTS if args.waitress_defaults else {})}
    with nqdb_serve(store, args.work / "serve.log", settings) as served:
        page = f"{served.url}/id/qualification/DEMO-0041"
        timed_get(page, timeout=30)  # warm-up: first describe, templates compiled
        measure("alone", page, args.requests)
        port = int(served.url.rsplit(":", 1)[1])
        with SlowClients(port, args.slow) as slow:
            measure(f"with {args.slow} slow sockets", page, args.requests)
            print(f"slow sockets: {slow.refused} refused at connect, {len(slow.sockets)} connected, "
                  f"{slow.open_count()} still open after the requests")
            waited = wait_for_closes(slow, args.hold)
            print(f"slow sockets still open {waited:.0f} s after they connected: {slow.open_count()}")


if __name__ == "__main__":
    main()
