"""Receipt codes and the roll fingerprint: pure functions, no Django.

A receipt is a random code shown to the voter once; the ballot stores only
``sha256("<election key>:<code>")``, and the published list of those hashes lets each voter
check their ballot was counted without anyone being able to find which ballot is theirs
from the database alone (the code never reaches it).

A retried cast (the first response lost) must get its receipt back, yet nothing may link a
voter to a ballot. So the ballot page carries a random one-time token, kept only in that page
(``new_token``); the code is ``HMAC-SHA256(server secret, "<election>:<member>:<token>")``
written in the code alphabet (``code_from_token``). On a retry the server derives the code
again from the posted token and shows it only if its hash is among the election's ballots.
Without the token (stored nowhere) the secret alone gives no code; without the secret the token
alone gives none; and a token from another member's page gives a different code.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Iterable

__all__ = [
    "ALPHABET",
    "code_from_token",
    "fingerprint",
    "is_token",
    "new_code",
    "new_token",
    "normalise",
    "receipt_hash",
]

# Crockford-style base32 without look-alikes (no I, L, O, U): easy to read out and type.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_GROUPS, _GROUP = 4, 4  # 16 symbols = 80 random bits


def new_code() -> str:
    """A fresh receipt code such as ``7K2M-QX4D-9HTC-P3VB``."""
    chars = "".join(secrets.choice(ALPHABET) for _ in range(_GROUPS * _GROUP))
    return "-".join(chars[i : i + _GROUP] for i in range(0, len(chars), _GROUP))


def _grouped(chars: str) -> str:
    return "-".join(chars[i : i + _GROUP] for i in range(0, len(chars), _GROUP))


_TOKEN_LENGTH = 32  # hex digits: 128 random bits


def new_token() -> str:
    """A fresh one-time ballot-page token (128 random bits, hex): kept only in the page."""
    return secrets.token_hex(_TOKEN_LENGTH // 2)


def is_token(value: str) -> bool:
    """Whether ``value`` has the form of a token from ``new_token`` (checked before use)."""
    return len(value) == _TOKEN_LENGTH and all(ch in "0123456789abcdef" for ch in value)


def code_from_token(secret: str, election_key: str, member_key: str, token: str) -> str:
    """The receipt code for this token: HMAC-SHA256 over election, member and token, 80 bits.

    The first 80 bits of the MAC, five bits a symbol, give the same 16-symbol form as
    ``new_code``; the same token gives the same code, so a retry can show it again.
    """
    mac = hmac.new(
        secret.encode(), f"{election_key}:{member_key}:{token}".encode(), hashlib.sha256
    ).digest()
    bits = int.from_bytes(mac[:10], "big")  # 80 bits
    n = _GROUPS * _GROUP
    chars = "".join(ALPHABET[(bits >> (5 * (n - 1 - i))) & 31] for i in range(n))
    return _grouped(chars)


def normalise(code: str) -> str:
    """The canonical form of a typed code: upper case, look-alikes mapped, grouped by dashes."""
    raw = code.upper().replace("O", "0").replace("I", "1").replace("L", "1")
    chars = "".join(ch for ch in raw if ch in ALPHABET)
    return "-".join(chars[i : i + _GROUP] for i in range(0, len(chars), _GROUP))


def receipt_hash(election_key: str, code: str) -> str:
    """What the ballot stores and the results publish: sha256 over the election key and code."""
    return hashlib.sha256(f"{election_key}:{normalise(code)}".encode()).hexdigest()


def fingerprint(member_numbers: Iterable[str]) -> str:
    """sha256 over the roll: member numbers sorted, one a line, each line ending in a newline."""
    body = "".join(f"{n}\n" for n in sorted(member_numbers))
    return hashlib.sha256(body.encode()).hexdigest()
