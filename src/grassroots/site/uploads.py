"""Request bodies refused by size before anything reads them.

Django parses a POST body as soon as anything asks for ``request.POST`` (the CSRF check does,
before the view), streaming file parts to memory or a temporary file. ``BodyLimitMiddleware``,
placed before ``CsrfViewMiddleware``, refuses a body whose declared length is over the view's
limit with 413 and a page saying so, without reading a byte of it. A view that takes an upload
declares its own limit with ``@upload_limit``; every other view takes at most
``DATA_UPLOAD_MAX_MEMORY_SIZE`` (a form's fields, never a file).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from grassroots.textfiles import unicode_text

__all__ = ["BodyLimitMiddleware", "NulRefusingMiddleware", "csv_text", "upload_limit"]

View = TypeVar("View", bound=Callable[..., Any])


def upload_limit(max_bytes: int | Callable[[], int]) -> Callable[[View], View]:
    """Let a view accept request bodies up to ``max_bytes`` (a number, or a function giving it
    from the settings at request time)."""

    def mark(view: View) -> View:
        view.upload_limit = max_bytes  # type: ignore[attr-defined]
        return view

    return mark


def _megabytes(n: int) -> str:
    return f"{n / 1_048_576:.0f} MB" if n >= 1_048_576 else f"{max(1, n // 1024)} KB"


class BodyLimitMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Any, args: Any, kwargs: Any
    ) -> HttpResponse | None:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return _refuse(request, "The request's length is not a number.", 400)
        limit = getattr(view, "upload_limit", None)
        if callable(limit):
            limit = limit()
        if limit is None:
            limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if length > limit:
            what = "file" if hasattr(view, "upload_limit") else "request"
            return _refuse(
                request,
                f"The {what} sent is {_megabytes(length)}; this page takes at most "
                f"{_megabytes(limit)}. Nothing was saved.",
                413,
            )
        return None


def _refuse(request: HttpRequest, message: str, status: int) -> HttpResponse:
    if request.path.startswith("/api/"):  # the JSON API answers in JSON
        return JsonResponse({"error": message}, status=status)
    return render(
        request,
        "too_large.html",
        {"message": message, "back": request.path},
        status=status,
    )


class NulRefusingMiddleware:
    """Refuse (400) a query string or form field holding a NUL character.

    No field of any page can hold one, and PostgreSQL refuses it in every text value (a search,
    a lookup, a stored name), so a NUL anywhere else would surface as a server error. Uploaded
    files are not looked at: their bytes are theirs. Runs after ``BodyLimitMiddleware``, so an
    oversized body is refused before this parses it.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Any, args: Any, kwargs: Any
    ) -> HttpResponse | None:
        fields = [request.GET]
        # a view exempt from the CSRF check reads its own body (the JSON API): parsing the body
        # as a form here would leave it nothing to read
        if getattr(view, "csrf_exempt", False):
            pass
        elif request.method == "POST" and request.content_type in (
            "application/x-www-form-urlencoded",
            "multipart/form-data",
        ):
            fields.append(request.POST)
        for data in fields:
            for key, values in data.lists():
                if "\x00" in key or any("\x00" in v for v in values):
                    return _refuse(
                        request,
                        "A field of the form holds a NUL character, which no field may hold. "
                        "Nothing was saved.",
                        400,
                    )
        return None


def csv_text(form: Any, raw: bytes, field: str = "file", *, utf16: bool = False) -> str | None:
    """An uploaded CSV file as text (the byte-order mark spreadsheets write dropped), or None
    with the form's ``field`` told how to save the file instead. ``utf16``: the reader also
    takes UTF-16 with its byte-order mark, and the tabs of Excel's "Unicode text"."""
    if utf16:
        text = unicode_text(raw)
        if text is None:
            form.add_error(
                field,
                "The file is neither UTF-8 nor UTF-16 text; save it from your spreadsheet as "
                "'CSV UTF-8'.",
            )
        return text
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        form.add_error(
            field, "The file is not UTF-8 text; save it from your spreadsheet as 'CSV UTF-8'."
        )
        return None
