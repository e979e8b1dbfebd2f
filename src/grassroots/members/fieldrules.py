"""The rules a member's fields follow, whichever way they come in.

Pure Python. The forms and the register import both ask these functions, so a value a form
refuses is refused in a file too, with the same words: a name or gender on one line and no
longer than its column; an e-mail address that a mail server and a mail header take as one
address (no line break can add a header such as ``Bcc:``); a date between ``EARLIEST`` and
``LATEST``, far enough from the calendar's ends that reckoning days from it cannot overflow.
Membership numbers and unit codes have their own rule in ``identifiers``.
"""

from __future__ import annotations

import datetime as dt
import re

__all__ = [
    "EARLIEST",
    "EMAIL_MAX",
    "GENDER_MAX",
    "LATEST",
    "NAME_MAX",
    "date_problem",
    "email_problem",
    "line_problem",
]

NAME_MAX = 200  # Member.name's max_length
EMAIL_MAX = 254  # Member.email's max_length (and the most an address may be)
GENDER_MAX = 40  # Member.gender's max_length

# wide enough for any real record (a lifetime member paid up to 2999), far from year 1 and 9999
EARLIEST = dt.date(1800, 1, 1)
LATEST = dt.date(9000, 12, 31)

_ATOM = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
_LOCAL = re.compile(rf"{_ATOM}(?:\.{_ATOM})*", re.ASCII)
_LABEL = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?", re.ASCII)
_TOP = re.compile(r"[A-Za-z0-9-]{2,63}", re.ASCII)


# every character of Unicode's categories Cc (controls), Zl and Zp (line and paragraph
# separators): one search per value, where asking the category of each character took most of
# the time of checking a 500,000-row register file
_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def _control(value: str) -> str | None:
    """The first line break or other control character in ``value``, described, or None."""
    found = _CONTROLS.search(value)
    if found is None:
        return None
    ch = found.group()
    return "a line break" if ch in "\r\n\u2028\u2029\x0b\x0c\x85" else f"U+{ord(ch):04X}"


def line_problem(what: str, value: str, longest: int) -> str | None:
    """Why ``value`` cannot be a one-line text field called ``what``, or None if it can."""
    if len(value) > longest:
        return f"the {what} is {len(value)} characters long; at most {longest}"
    bad = _control(value)
    if bad:
        return f"the {what} contains {bad}; it must be one line of text"
    return None


def email_problem(value: str) -> str | None:
    """Why ``value`` is not one e-mail address that can be sent to, or None if it is."""
    if len(value) > EMAIL_MAX:
        return f"the e-mail address is {len(value)} characters long; at most {EMAIL_MAX}"
    bad = _control(value)
    if bad or " " in value:
        return f"the e-mail address {value!r} contains {bad or 'a space'}"
    local, at, domain = value.rpartition("@")
    if not at or not local or not domain:
        return f"{value!r} is not an e-mail address (name@example.org)"
    if not _LOCAL.fullmatch(local):
        return f"{value!r} is not an e-mail address: the part before @ has characters it may not"
    try:
        ascii_domain = domain.encode("idna").decode("ascii")
    except UnicodeError:
        return f"{value!r} is not an e-mail address: {domain!r} is not a domain name"
    *labels, top = ascii_domain.split(".")
    if (
        not labels
        or not all(_LABEL.fullmatch(label) for label in labels)
        or not _TOP.fullmatch(top)
        or top.endswith("-")
        or top.isdigit()
    ):
        return f"{value!r} is not an e-mail address: {domain!r} is not a domain name"
    return None


def date_problem(what: str, value: dt.date) -> str | None:
    """Why ``value`` cannot be the date called ``what``, or None if it can."""
    if not EARLIEST <= value <= LATEST:
        return f"the {what} {value.isoformat()} is not between {EARLIEST.year} and {LATEST.year}"
    return None
