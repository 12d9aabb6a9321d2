"""Issue 9 case 4: slow clients must not starve everyone; `nqdb serve` bounds header time, idle time and
connections per client. Every server here is `nqdb serve` in a child process on 127.0.0.1."""

from __future__ import annotations

import select
import socket
from pathlib import Path

import pytest
from click.testing import CliRunner

from nqdb.cli import main
from portal.web.server import ServerLimits
from store.core.triplestore import Store
from tests.conftest import BASE
from tests.live.slow_clients import SLOW_SOURCE, SlowClients, nqdb_serve, timed_get

pytestmark = pytest.mark.live

QUIET = {"NQDB_PUBLIC_BASE_URL": BASE, "NQDB_DUMPS_WATCH_SECONDS": "0"}


def _port(url: str) -> int:
    return int(url.rsplit(":", 1)[1])


@pytest.mark.parametrize("per_client", ["32", "0"], ids=["per-client-cap", "no-per-client-cap"])
def test_case_4_slow_clients_do_not_starve_normal_requests(demo_store: Store, tmp_path: Path,
                                                            per_client: str) -> None:
    """Issue 9 case 4: while 200 sockets send headers one byte a second, normal requests keep being answered.

    With the per-client cap the surplus sockets of the slow address are refused; without it, the connection
    limit is above 200, so they are all held and still nobody else waits.
    """
    settings = {**QUIET, "NQDB_SERVER_CONNECTIONS_PER_CLIENT": per_client}
    with nqdb_serve(demo_store.path, tmp_path / "serve.log", settings) as served:
        page = f"{served.url}/id/qualification/DEMO-0041"
        with SlowClients(_port(served.url), 200) as slow:
            assert len(slow.sockets) + slow.refused == 200
            for _ in range(7):
                timed_get(page, timeout=10)  # an answer within 10 s, or URLError/timeout fails the test
            timed_get(f"{served.url}/", timeout=10)
        assert served.process.poll() is None


def test_case_4_header_deadline_closes_a_slow_connection(demo_store: Store, tmp_path: Path) -> None:
    """Issue 9 case 4: a connection that never finishes its headers is closed after SERVER_HEADER_TIMEOUT."""
    settings = {**QUIET, "NQDB_SERVER_HEADER_TIMEOUT": "1"}
    with nqdb_serve(demo_store.path, tmp_path / "serve.log", settings) as served:
        with socket.create_connection(("127.0.0.1", _port(served.url)), timeout=10) as sock:
            sock.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")
            assert _closed_while_dripping(sock, drips=60), "the server kept a half-sent request open for 30 s"
        timed_get(f"{served.url}/", timeout=10)


def test_case_4_connections_per_client_are_capped(demo_store: Store, tmp_path: Path) -> None:
    """Issue 9 case 4: one address holding SERVER_CONNECTIONS_PER_CLIENT connections gets a 503 for one more."""
    settings = {**QUIET, "NQDB_SERVER_CONNECTIONS_PER_CLIENT": "3"}
    with nqdb_serve(demo_store.path, tmp_path / "serve.log", settings) as served:
        port = _port(served.url)
        held = [_kept_alive(port) for _ in range(3)]  # each answered: the server has accepted it
        try:
            with _connect(port) as extra:  # sends nothing: the answer comes on accept, before any request
                assert _read_all(extra).startswith(b"HTTP/1.1 503")
            timed_get(f"{served.url}/", timeout=10)  # 127.0.0.1 is another client: not capped
        finally:
            for sock in held:
                sock.close()


def test_case_4_bad_server_setting_is_a_message(tmp_path: Path) -> None:
    """Issue 9 case 4: a limit that is not a number stops `nqdb serve` with a message, not a traceback."""
    result = CliRunner().invoke(main, ["serve", "--store", str(tmp_path / "store"), "--no-demo"],
                                env={"NQDB_SERVER_HEADER_TIMEOUT": "soon"})
    assert result.exit_code == 1
    assert "SERVER_HEADER_TIMEOUT must be a number of seconds" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert not (tmp_path / "store").exists()


def test_case_4_per_client_cap_is_off_behind_a_proxy() -> None:
    """Issue 9 case 4: behind a trusted reverse proxy every client has its address, so the cap is off."""
    assert ServerLimits.from_config({"TRUSTED_PROXIES": 1}).connections_per_client == 0
    assert ServerLimits.from_config({}).connections_per_client == 32


def _connect(port: int) -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind((SLOW_SOURCE, 0))
    sock.settimeout(10)
    sock.connect(("127.0.0.1", port))
    return sock


def _kept_alive(port: int) -> socket.socket:
    """A connection from the slow address that has had one answer and stays open (HTTP/1.1 keep-alive)."""
    sock = _connect(port)
    sock.sendall(b"HEAD / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
    answer = b""
    while b"\r\n\r\n" not in answer:
        chunk = sock.recv(4096)
        assert chunk, "the server closed a connection below the cap"
        answer += chunk
    assert answer.startswith(b"HTTP/1.1 200")
    return sock


def _read_all(sock: socket.socket) -> bytes:
    data = b""
    while chunk := sock.recv(4096):
        data += chunk
    return data


def _closed_while_dripping(sock: socket.socket, drips: int) -> bool:
    """Send one more header byte every half second until the server closes the socket (or `drips` run out)."""
    for _ in range(drips):
        readable, _, _ = select.select([sock], [], [], 0.5)
        if readable:
            try:
                if sock.recv(4096) == b"":
                    return True
            except ConnectionResetError:
                return True
        try:
            sock.sendall(b"X")
        except (BrokenPipeError, ConnectionResetError):
            return True
    return False
