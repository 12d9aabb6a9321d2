"""The operating-system limits a SPARQL worker process puts on itself: no network, bounded memory.

pyoxigraph is built with an HTTP client for SPARQL federation (`SERVICE`) and offers no option to turn
it off, so the web side refuses `SERVICE` up front (store/sparql/federation.py) and each worker also
installs a seccomp filter that makes `socket(AF_INET | AF_INET6, ...)` fail: even a query that slipped
past the refusal cannot open a connection or resolve a name. The memory cap is RLIMIT_DATA (see
`limit_memory`). Both are inherited by nothing and undone by nothing: a worker lives and dies with them.
"""

from __future__ import annotations

import ctypes
import errno
import platform
import re
import resource
import socket
import struct

# <linux/seccomp.h>, <linux/filter.h>, <linux/audit.h>, <linux/prctl.h>
_PR_SET_NO_NEW_PRIVS, _PR_SET_SECCOMP, _SECCOMP_MODE_FILTER = 38, 22, 2
_RET_ALLOW, _RET_ERRNO = 0x7FFF0000, 0x00050000
_LD_ABS_W, _JEQ_K, _RET_K = 0x20, 0x15, 0x06
_OFFSET_NR, _OFFSET_ARCH, _OFFSET_ARG0 = 0, 4, 16  # struct seccomp_data, little-endian args
_X32_BIT = 0x40000000
# machine -> (AUDIT_ARCH_*, __NR_socket): the architectures whose socket(2) number we know.
_ARCHITECTURES = {"x86_64": (0xC000003E, 41), "aarch64": (0xC00000B7, 198)}


class _SockFprog(ctypes.Structure):
    """struct sock_fprog: the number of BPF instructions and where they are."""

    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]


def _instruction(code: int, jump_true: int, jump_false: int, k: int) -> bytes:
    return struct.pack("=HBBI", code, jump_true, jump_false, k)


def _no_internet_program(arch: int, socket_nr: int) -> bytes:
    """A BPF program: socket(AF_INET|AF_INET6, ...) and any foreign-ABI call fail with EACCES."""
    deny = _RET_ERRNO | errno.EACCES
    return b"".join([
        _instruction(_LD_ABS_W, 0, 0, _OFFSET_ARCH),
        _instruction(_JEQ_K, 1, 0, arch),
        _instruction(_RET_K, 0, 0, deny),           # 32-bit or other ABI: a worker never needs it
        _instruction(_LD_ABS_W, 0, 0, _OFFSET_NR),
        _instruction(_JEQ_K, 2, 0, socket_nr),
        _instruction(_JEQ_K, 1, 0, socket_nr | _X32_BIT),
        _instruction(_RET_K, 0, 0, _RET_ALLOW),
        _instruction(_LD_ABS_W, 0, 0, _OFFSET_ARG0),
        _instruction(_JEQ_K, 2, 0, socket.AF_INET),
        _instruction(_JEQ_K, 1, 0, socket.AF_INET6),
        _instruction(_RET_K, 0, 0, _RET_ALLOW),
        _instruction(_RET_K, 0, 0, deny),
    ])


def deny_internet() -> bool:
    """Make every later IPv4/IPv6 socket of this process fail; False where seccomp is unavailable.

    Unix sockets (the worker's pipe to the web process) keep working. Irreversible by design.
    """
    known = _ARCHITECTURES.get(platform.machine())
    if known is None or platform.system() != "Linux":
        return False
    program = _no_internet_program(*known)
    filters = ctypes.create_string_buffer(program, len(program))
    fprog = _SockFprog(len(program) // 8, ctypes.cast(filters, ctypes.c_void_p))
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        return False
    return bool(libc.prctl(_PR_SET_SECCOMP, _SECCOMP_MODE_FILTER, ctypes.byref(fprog), 0, 0) == 0)


def limit_memory(limit_bytes: int) -> None:
    """Cap this process's heap and anonymous mappings at `limit_bytes` (0 = no cap), enforced by the kernel.

    RLIMIT_DATA, not RLIMIT_AS: it counts the private writable memory a query can fill (malloc, the
    result strings of CONCAT, hash joins) and not the address space that is only reserved — thread
    stacks' guard pages, glibc's 64 MiB per-thread arenas, RocksDB's read-only file mappings — which
    RLIMIT_AS would charge and which does not grow with the query (docs/security.md has the figures).
    An allocation past the cap fails: pyoxigraph's Rust code then aborts the process (SIGABRT), Python
    code raises MemoryError.
    """
    if limit_bytes > 0:
        resource.setrlimit(resource.RLIMIT_DATA, (limit_bytes, limit_bytes))


_UNITS = {"": 1, "B": 1, "K": 1024, "KB": 1000, "KIB": 1024, "M": 1024**2, "MB": 1000**2, "MIB": 1024**2,
          "G": 1024**3, "GB": 1000**3, "GIB": 1024**3, "T": 1024**4, "TB": 1000**4, "TIB": 1024**4}
_SIZE = re.compile(r"\s*(\d+(?:\.\d+)?)\s*([A-Za-z]*)\s*")


def parse_bytes(value: object) -> int:
    """A size setting as bytes: an integer, or a number with a unit ("1GiB", "512 MiB", "2GB").

    Raises:
        ValueError: the value is not a size.
    """
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    match = _SIZE.fullmatch(str(value))
    if match is None or match.group(2).upper() not in _UNITS:
        raise ValueError(f"{value!r} is not a size; write bytes or a number with a unit, e.g. 1GiB or 512MiB.")
    return int(float(match.group(1)) * _UNITS[match.group(2).upper()])


def format_bytes(count: int) -> str:
    """A byte count for people: 1 GiB, 256 MiB, 1500 bytes."""
    for unit, size in (("GiB", 1024**3), ("MiB", 1024**2), ("KiB", 1024)):
        if count >= size:
            return f"{count / size:.4g} {unit}"
    return f"{count} bytes"
