"""The production web server of `nqdb serve`: waitress, with limits that keep slow clients from starving others.

Waitress reads requests on one asynchronous loop and hands only complete requests to its worker threads, so
a slow client never holds a thread; what it can hold is a connection. Out of the box waitress accepts at
most 100 connections, gives a client unlimited time to finish its headers, and closes an idle connection
only after 120 s: 200 sockets that send a header byte a second kept every normal request out (issue 9
case 4). Here each connection gets a deadline for its headers and for its whole request, an idle timeout,
each client address a cap on its open connections, and the overall limit is higher (polled, not selected,
so more than 1024 descriptors work). Every limit is a setting (docs/security.md, README "Configuration").
"""

from __future__ import annotations

import logging
import resource
import socket
import time
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from flask import Flask
from waitress.channel import HTTPChannel
from waitress.server import TcpWSGIServer

from store.core.formats import PLAIN_TEXT

log = logging.getLogger("nqdb.server")
MAINTENANCE_SECONDS = 1  # how often deadlines are checked (waitress's cleanup_interval, default 30 s)
SPARE_DESCRIPTORS = 512  # files the store, the SPARQL workers and logging keep open besides sockets
TOO_MANY = (b"HTTP/1.1 503 Service Unavailable\r\nContent-Type: " + PLAIN_TEXT.encode() + b"; charset=utf-8\r\n"
            b"Retry-After: 5\r\nConnection: close\r\nContent-Length: 54\r\n\r\n"
            b"Too many open connections from your address; retry.\r\n")


class ServerConfigError(ValueError):
    """A server setting that is not a number in its range."""


@dataclass(frozen=True)
class ServerLimits:
    """Connection limits of the production server (0 turns a deadline or the per-client cap off)."""

    connection_limit: int = 1000
    connections_per_client: int = 32
    header_timeout: float = 10.0
    request_timeout: float = 60.0
    idle_timeout: int = 20

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> ServerLimits:
        """The limits named by the SERVER_* settings; per-client cap off behind a trusted proxy.

        Raises:
            ServerConfigError: a setting is not a number, or out of range.
        """
        limits = cls(connection_limit=int(_number(config, "SERVER_CONNECTION_LIMIT", 1, whole=True)),
                     connections_per_client=int(_number(config, "SERVER_CONNECTIONS_PER_CLIENT", 0, whole=True)),
                     header_timeout=_number(config, "SERVER_HEADER_TIMEOUT", 0),
                     request_timeout=_number(config, "SERVER_REQUEST_TIMEOUT", 0),
                     idle_timeout=int(_number(config, "SERVER_IDLE_TIMEOUT", 1, whole=True)))
        if int(config.get("TRUSTED_PROXIES") or 0) and limits.connections_per_client:
            # Behind a reverse proxy every connection comes from the proxy's address: a cap per address
            # would cap the whole site. The proxy must bound connections per client (docs/security.md).
            log.warning("TRUSTED_PROXIES is set: the per-client connection cap is off; "
                        "let the reverse proxy limit connections per client.")
            limits = cls(limits.connection_limit, 0, limits.header_timeout, limits.request_timeout,
                         limits.idle_timeout)
        return limits


def _number(config: Mapping[str, Any], key: str, minimum: float, whole: bool = False) -> float:
    """A setting as a number >= minimum (a whole one if `whole`); the dataclass default if it is absent."""
    raw = config.get(key, getattr(ServerLimits, key.removeprefix("SERVER_").lower()))
    try:
        value = float(raw)
    except (TypeError, ValueError):
        value = float("nan")
    if not value >= minimum or (whole and not value.is_integer()):
        kind = "a whole number" if whole else "a number of seconds"
        raise ServerConfigError(f"{key} must be {kind} of at least {minimum:g}, not {raw!r}.")
    return value


class GuardedChannel(HTTPChannel):  # type: ignore[misc]  # waitress has no type hints
    """A connection that remembers when its current request began, and counts itself per client address."""

    request_started = 0.0
    counted = False

    def __init__(self, server: GuardedServer, sock: socket.socket, addr: Any, adj: Any,
                 map: dict[int, Any] | None = None) -> None:
        super().__init__(server, sock, addr, adj, map=map)
        server.clients[server.client_of(addr)] += 1
        self.counted = True

    def received(self, data: bytes) -> bool:
        """Read data as waitress does; a request whose first bytes arrive now starts its clock now."""
        before, now = self.request, time.time()
        result: bool = super().received(data)
        if self.request is not None and self.request is not before:
            self.request_started = now
        return result

    def del_channel(self, map: dict[int, Any] | None = None) -> None:
        """Forget the channel, and give its client address back one connection."""
        if self.counted:
            self.counted = False
            self.server.forget(self.addr)
        super().del_channel(map)

    def overdue(self, now: float, limits: ServerLimits) -> str | None:
        """Why this connection's unfinished request has run out of time, or None."""
        request = self.request
        if request is None or self.requests:
            return None
        waited = now - self.request_started
        if not request.headers_finished and limits.header_timeout and waited > limits.header_timeout:
            return f"headers not complete after {limits.header_timeout:g} s"
        if limits.request_timeout and waited > limits.request_timeout:
            return f"request not complete after {limits.request_timeout:g} s"
        return None


class GuardedServer(TcpWSGIServer):  # type: ignore[misc]  # waitress has no type hints
    """Waitress's TCP server with per-client connection caps and request deadlines."""

    channel_class = GuardedChannel

    def __init__(self, application: Any, limits: ServerLimits, **kw: Any) -> None:
        self.limits = limits
        self.clients: Counter[str] = Counter()
        self.capped: set[str] = set()
        super().__init__(application, **kw)

    @staticmethod
    def client_of(addr: Any) -> str:
        """The client's address (IPv4 or IPv6) without the port."""
        return str(addr[0]) if isinstance(addr, tuple) and addr else str(addr)

    def forget(self, addr: Any) -> None:
        """One connection of this client has closed."""
        client = self.client_of(addr)
        self.clients[client] -= 1
        if self.clients[client] <= 0:
            del self.clients[client]
        if self.clients[client] < self.limits.connections_per_client:
            self.capped.discard(client)

    def handle_accept(self) -> None:
        """Accept a connection, unless its client address already holds its share (then a short 503)."""
        try:
            accepted = self.accept()
        except OSError:  # e.g. EMFILE; waitress would close the listening socket on an uncaught error
            log.warning("accept() failed", exc_info=True)
            return
        if accepted is None:
            return
        conn, addr = accepted
        cap, client = self.limits.connections_per_client, self.client_of(addr)
        if cap and self.clients[client] >= cap:
            self._refuse(conn, client)
            return
        try:
            self.set_socket_options(conn)
        except OSError:
            conn.close()
            return
        self.channel_class(self, conn, self.fix_addr(addr), self.adj, map=self._map)

    def _refuse(self, conn: socket.socket, client: str) -> None:
        if client not in self.capped:
            self.capped.add(client)
            log.warning("%s holds %d connections (SERVER_CONNECTIONS_PER_CLIENT); refusing more",
                        client, self.limits.connections_per_client)
        try:
            conn.setblocking(False)
            conn.send(TOO_MANY)
            conn.recv(65536)  # what the client sent already: unread data would turn the close into a reset
        except OSError:
            pass
        conn.close()

    def maintenance(self, now: float) -> None:
        """Close idle connections (waitress), and those whose request is past its deadline."""
        super().maintenance(now)
        for channel in list(self.active_channels.values()):
            reason = None if channel.will_close else channel.overdue(now, self.limits)
            if reason is not None:
                log.debug("closing the connection from %s: %s", self.client_of(channel.addr), reason)
                channel.will_close = True


def create_server(app: Flask, host: str, port: int, threads: int) -> GuardedServer:
    """The production server for `app` on host:port, limits from the app's SERVER_* settings."""
    limits = ServerLimits.from_config(app.config)
    _allow_descriptors(limits.connection_limit + SPARE_DESCRIPTORS)
    return GuardedServer(app, limits, host=host, port=port, threads=threads, ident="nqdb",
                         connection_limit=limits.connection_limit, channel_timeout=limits.idle_timeout,
                         cleanup_interval=MAINTENANCE_SECONDS, asyncore_use_poll=True)


def run(server: GuardedServer) -> None:
    """Serve until interrupted, logging warnings (refused clients, the connection limit) to stderr."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    server.print_listen("Serving on http://{}:{}")
    server.run()


def _allow_descriptors(wanted: int) -> None:
    """Raise the soft open-files limit towards `wanted` (never above the hard limit) so every socket fits."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
    if soft != resource.RLIM_INFINITY and soft < target:
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
