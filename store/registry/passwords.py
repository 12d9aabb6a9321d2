"""Password hashes: the standard library's scrypt (RFC 7914), a random salt per password, compared in constant time.

Stored as "scrypt$n$r$p$salt$hash" (salt and hash in base64), so a hash made with other parameters still
verifies after the defaults change.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from functools import cache

SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**15, 8, 1  # the OWASP minimum for scrypt: ~32 MiB and ~0.1 s per hash
SALT_BYTES, HASH_BYTES = 16, 32
MIN_LENGTH = 12
MAX_LENGTH = 1024  # characters: a bound on the input, far above any passphrase
SCHEME = "scrypt"


class PasswordRejected(ValueError):
    """A new password that may not be used; the message says which rule it breaks (never the password)."""


def check(password: str) -> str:
    """`password` if it may be used.

    Raises:
        PasswordRejected: it is shorter than MIN_LENGTH or longer than MAX_LENGTH characters.
    """
    if len(password) < MIN_LENGTH:
        raise PasswordRejected(f"A password needs at least {MIN_LENGTH} characters (this one has {len(password)}).")
    if len(password) > MAX_LENGTH:
        raise PasswordRejected(f"A password may have at most {MAX_LENGTH} characters.")
    return password


def hash_password(password: str) -> str:
    """The stored form of `password` (checked first with `check`)."""
    salt = secrets.token_bytes(SALT_BYTES)
    digest = _scrypt(check(password), salt, SCRYPT_N, SCRYPT_R, SCRYPT_P)
    return "$".join((SCHEME, str(SCRYPT_N), str(SCRYPT_R), str(SCRYPT_P), _b64(salt), _b64(digest)))


def verify(password: str, stored: str) -> bool:
    """True if `password` is the one `stored` was made from; a malformed or foreign hash never matches."""
    parts = stored.split("$")
    if len(parts) != 6 or parts[0] != SCHEME or len(password) > MAX_LENGTH:
        return False
    try:
        n, r, p = (int(x) for x in parts[1:4])
        salt, expected = base64.b64decode(parts[4], validate=True), base64.b64decode(parts[5], validate=True)
        actual = _scrypt(password, salt, n, r, p, len(expected))
    except ValueError:  # bad numbers, bad base64, parameters scrypt refuses
        return False
    return hmac.compare_digest(actual, expected)


@cache
def decoy() -> str:
    """A hash to verify against when there is no account, so the time taken does not say whether it exists."""
    return hash_password(secrets.token_urlsafe(MIN_LENGTH))


def _scrypt(password: str, salt: bytes, n: int, r: int, p: int, length: int = HASH_BYTES) -> bytes:
    # scrypt needs 128 * r * n bytes; OpenSSL refuses when that equals maxmem (its 32 MiB default), so allow twice.
    return hashlib.scrypt(password.encode("utf-8"), salt=salt, n=n, r=r, p=p, maxmem=256 * r * n, dklen=length)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")
