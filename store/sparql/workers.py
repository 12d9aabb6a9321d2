"""A pool of worker processes that evaluate SPARQL queries and can be killed when a query runs too long.

pyoxigraph cannot interrupt a running query and does not react to signals, so each query runs in a
process of its own (started with 'spawn': never fork a process that opened a store). A worker opens the
current snapshot read-only (snapshots are immutable directories) and reopens when the version changes.
The web side sends a QueryRequest, reads the serialised result in chunks (store/sparql/messages.py),
and on timeout kills the worker (freeing its CPU at once) and starts a replacement.
"""

from __future__ import annotations

import atexit
import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any

from store.sparql.engine import QueryFailure, QueryRequest, evaluate
from store.sparql.messages import Aborted, Chunk, End, Failed, Head, Message, Whole, detail_of
from store.sparql.sandbox import deny_internet, format_bytes, limit_memory

CHUNK_BYTES = 64 * 1024  # results smaller than this are complete before the status line is chosen
MEMORY_STATUS = 422  # well-formed, but more than this endpoint will do: retrying the same query cannot help
_CONTEXT = multiprocessing.get_context("spawn")
_EXIT_OUT_OF_MEMORY = 3  # a worker whose Python code ran out of memory exits with this code
_JOIN_SECONDS = 5.0


@dataclass(frozen=True)
class WorkerLimits:
    """What the operating system enforces on each worker: its memory (0 = no cap) and no network."""

    memory_bytes: int = 0
    network: bool = False  # True only when federation to listed endpoints is allowed


class QueryTimeout(Exception):
    """The query ran longer than the endpoint allows; its worker was killed."""


class PoolSaturated(Exception):
    """Every worker is busy and the waiting line is full (or waiting took too long)."""


class QueryFailed(Exception):
    """The worker answered with a failure (syntax error, nothing acceptable, worker crash)."""

    def __init__(self, failure: QueryFailure) -> None:
        super().__init__(failure.detail)
        self.failure = failure



# -- the worker process --------------------------------------------------------------------------------
class _Channel:
    """Buffers a result and sends it in chunks; the head goes with the first chunk."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.head: Head | None = None
        self.started = False
        self.buffer = bytearray()

    def start(self, media_type: str, headers: dict[str, str]) -> Any:
        self.head = Head(media_type, headers)
        return self.write

    def write(self, data: bytes) -> int:
        self.buffer += data
        if len(self.buffer) >= CHUNK_BYTES:
            self.flush()
        return len(data)

    def flush(self) -> None:
        if not self.started and self.head is not None:
            self.conn.send(self.head)
            self.started = True
        if self.buffer:
            self.conn.send(Chunk(bytes(self.buffer)))
            self.buffer.clear()


def worker_main(conn: Connection, limits: WorkerLimits = WorkerLimits()) -> None:
    """Serve QueryRequests from `conn` until told to stop (None) or the pipe closes."""
    limit_memory(limits.memory_bytes)
    if not limits.network:
        deny_internet()
    import pyoxigraph as ox

    opened: tuple[str, ox.Store] | None = None
    while True:
        try:
            request: QueryRequest | None = conn.recv()
        except EOFError:
            return
        if request is None:
            return
        if opened is None or opened[0] != request.snapshot:
            opened = (request.snapshot, ox.Store.read_only(request.snapshot))
        channel = _Channel(conn)
        try:
            failure = evaluate(opened[1], request, channel.start)
        except MemoryError:
            os._exit(_EXIT_OUT_OF_MEMORY)  # the web side reports it; a clean exit is all that is safe now
        except Exception as error:  # noqa: BLE001 — any evaluation error is reported, the worker lives on
            failure = QueryFailure(500, f"The query failed while it ran: {error}")
        if failure is not None and not channel.started:
            conn.send(Failed(failure))
            continue
        if failure is not None:
            conn.send(Aborted(failure.detail))
            continue
        if not channel.started and channel.head is not None:  # small result: one message, one wake-up
            conn.send(Whole(channel.head.media_type, channel.head.headers, bytes(channel.buffer)))
            continue
        channel.flush()
        conn.send(End())


# -- the web side ----------------------------------------------------------------------------------------
class _Worker:
    def __init__(self, limits: WorkerLimits) -> None:
        self.limits = limits
        self.conn, child = _CONTEXT.Pipe(duplex=True)
        self.process = _CONTEXT.Process(target=worker_main, args=(child, limits), daemon=True,
                                        name="nqdb-sparql")
        self.process.start()
        child.close()

    def death(self) -> QueryFailure:
        """Why the worker stopped answering: over its memory cap, or a crash (it is then reaped)."""
        self.process.join(timeout=_JOIN_SECONDS)
        code = self.process.exitcode
        # pyoxigraph aborts (SIGABRT) when an allocation fails; Python code exits with our own code
        if self.limits.memory_bytes and code in (-signal.SIGABRT, _EXIT_OUT_OF_MEMORY):
            limit = format_bytes(self.limits.memory_bytes)
            return QueryFailure(MEMORY_STATUS, f"The query needed more memory than a query may use here "
                                f"({limit}) and was stopped; narrow it down or add a LIMIT.",
                                {"memoryLimit": self.limits.memory_bytes})
        return QueryFailure(500, "The query worker stopped unexpectedly; the query was not answered. "
                                 "Try again.", {"exitCode": code})

    def receive(self, deadline: float) -> Message:
        """The worker's next message, or QueryTimeout when the deadline passes first."""
        if not self.conn.poll(max(0.0, deadline - time.monotonic())):
            raise QueryTimeout()
        message: Message = self.conn.recv()
        return message

    def kill(self) -> None:
        self.process.kill()
        self.process.join(timeout=2)
        self.conn.close()

    def stop(self) -> None:
        try:
            self.conn.send(None)
        except OSError:
            pass
        self.process.join(timeout=1)
        if self.process.is_alive():
            self.kill()
        self.conn.close()


class ResultStream:
    """A result being streamed from a worker: media type, headers, then the body in chunks."""

    def __init__(self, pool: WorkerPool, worker: _Worker | None, deadline: float, media_type: str,
                 headers: dict[str, str], whole: bytes | None = None) -> None:
        self.pool, self.worker, self.deadline = pool, worker, deadline
        self.media_type, self.headers = media_type, headers
        self.whole = whole
        self.finished = worker is None  # a small result arrives whole, its worker already released
        self.closed = worker is None

    def __iter__(self) -> Iterator[bytes]:
        if self.whole is not None:
            yield self.whole
        while not self.finished and self.worker is not None:
            try:
                message = self.worker.receive(self.deadline)
            except QueryTimeout:
                self.close()  # the response is cut off: clients see an incomplete body, never a short one
                raise
            except (EOFError, OSError) as error:
                failure = self.worker.death()
                self.close()
                raise QueryFailed(failure) from error
            if isinstance(message, Chunk):
                yield message.data
            elif isinstance(message, End):
                self.finished = True
                self.close()
            else:
                self.close()
                raise QueryFailed(QueryFailure(500, detail_of(message)))

    def drain(self) -> None:
        """Read the result to its end without keeping it (HEAD), so the worker can be reused."""
        for _ in self:
            pass

    def close(self) -> None:
        """Give the worker back when the result was read to the end, else kill it (client went away)."""
        if self.closed or self.worker is None:
            return
        self.closed = True
        self.pool.release(self.worker, healthy=self.finished)


class WorkerPool:
    """`size` worker processes, at most `max_waiting` queries waiting, `timeout` seconds per query."""

    def __init__(self, size: int, max_waiting: int, timeout: float, limits: WorkerLimits = WorkerLimits()) -> None:
        self.size, self.max_waiting, self.timeout = max(1, size), max(0, max_waiting), timeout
        self.limits = limits
        self._cond = threading.Condition()
        self._idle = [_Worker(limits) for _ in range(self.size)]
        self._busy: set[_Worker] = set()
        self._waiting = 0
        self._closed = False
        atexit.register(self.close)

    def run(self, request: QueryRequest) -> ResultStream:
        """Start `request` on a free worker and wait for the head of its answer.

        Raises:
            PoolSaturated, QueryTimeout, QueryFailed.
        """
        worker = self._acquire()
        deadline = time.monotonic() + self.timeout
        try:
            worker.conn.send(request)
            message = worker.receive(deadline)
        except QueryTimeout:
            self.release(worker, healthy=False)
            raise
        except (EOFError, OSError) as error:
            failure = worker.death()
            self.release(worker, healthy=False)
            raise QueryFailed(failure) from error
        if isinstance(message, Failed):
            self.release(worker, healthy=True)
            raise QueryFailed(message.failure)
        if isinstance(message, Whole):
            self.release(worker, healthy=True)
            return ResultStream(self, None, deadline, message.media_type, message.headers, message.data)
        if not isinstance(message, Head):
            self.release(worker, healthy=False)
            raise QueryFailed(QueryFailure(500, detail_of(message)))
        return ResultStream(self, worker, deadline, message.media_type, message.headers)

    def _acquire(self) -> _Worker:
        with self._cond:
            if not self._idle:
                if self._waiting >= self.max_waiting:
                    raise PoolSaturated()
                self._waiting += 1
                try:
                    if not self._cond.wait_for(lambda: bool(self._idle) or self._closed,
                                               timeout=self.timeout):
                        raise PoolSaturated()
                finally:
                    self._waiting -= 1
            if self._closed:
                raise PoolSaturated()
            worker = self._idle.pop()
            if not worker.process.is_alive():  # died while idle (killed, OOM killer): never hand it out
                worker.kill()
                worker = _Worker(self.limits)
            self._busy.add(worker)
            return worker

    def release(self, worker: _Worker, healthy: bool) -> None:
        """Return a worker to the pool; an unhealthy one is killed and replaced by a fresh process."""
        if not healthy:
            worker.kill()
        with self._cond:
            self._busy.discard(worker)
            if self._closed:
                if healthy:
                    worker.stop()
                return
            self._idle.append(worker if healthy else _Worker(self.limits))
            self._cond.notify()

    def close(self) -> None:
        """Stop every worker process (idle ones politely, busy ones killed)."""
        with self._cond:
            if self._closed:
                return
            self._closed = True
            idle, busy = list(self._idle), list(self._busy)
            self._idle.clear()
            self._cond.notify_all()
        for worker in idle:
            worker.stop()
        for worker in busy:
            worker.kill()
        atexit.unregister(self.close)

    def process_ids(self) -> list[int]:
        """The pids of the live workers (for tests and operators)."""
        with self._cond:
            return [w.process.pid or 0 for w in [*self._idle, *self._busy]]

    def busy_process_ids(self) -> list[int]:
        """The pids of the workers running a query now (for tests and operators)."""
        with self._cond:
            return [w.process.pid or 0 for w in self._busy]

    def waiting(self) -> int:
        """How many queries wait for a worker now."""
        with self._cond:
            return self._waiting

