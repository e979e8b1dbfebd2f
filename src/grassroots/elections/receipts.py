"""Receipt codes and the roll fingerprint: pure functions, no Django.

A receipt is a random code shown to the voter once; the ballot stores only
``sha256("<election key>:<code>")``, and the published list of those hashes lets each voter
check their ballot was counted without anyone being able to find which ballot is theirs
from the database alone (the code never reaches it).
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable

__all__ = ["ALPHABET", "fingerprint", "new_code", "normalise", "receipt_hash"]

# Crockford-style base32 without look-alikes (no I, L, O, U): easy to read out and type.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_GROUPS, _GROUP = 4, 4  # 16 symbols = 80 random bits


def new_code() -> str:
    """A fresh receipt code such as ``7K2M-QX4D-9HTC-P3VB``."""
    chars = "".join(secrets.choice(ALPHABET) for _ in range(_GROUPS * _GROUP))
    return "-".join(chars[i : i + _GROUP] for i in range(0, len(chars), _GROUP))


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
