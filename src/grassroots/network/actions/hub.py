"""The hub's actions: publishing a resource (a document, a link or a guide) and withdrawing it."""

from __future__ import annotations

import re
from collections.abc import Sequence

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from grassroots.audit.log import record
from grassroots.meetings.papers import PaperError, check_paper
from grassroots.network.actions.access import ActionRefused, User, may_publish
from grassroots.network.models import Network, Resource, Tag

__all__ = ["parse_tags", "publish_resource", "withdraw_resource"]

MAX_TAGS = 10
_TAG = re.compile(r"^[\w][\w \-]{0,38}[\w]?$")


def parse_tags(text: str) -> list[str]:
    """Tags typed as a list separated by commas, lower-cased, each once; bad ones refused."""
    out: list[str] = []
    for raw in text.split(","):
        tag = " ".join(raw.split()).lower()
        if not tag:
            continue
        if len(tag) > 40 or not _TAG.match(tag):
            raise ActionRefused(
                f"The tag '{tag[:40]}' must be letters, digits, spaces or hyphens, "
                "at most 40 characters"
            )
        if tag not in out:
            out.append(tag)
    if len(out) > MAX_TAGS:
        raise ActionRefused(f"At most {MAX_TAGS} tags a resource ({len(out)} given)")
    return out


def publish_resource(
    network: Network,
    *,
    by: User,
    kind: str,
    title: str,
    summary: str = "",
    body: str = "",
    url: str = "",
    upload: tuple[str, bytes] | None = None,
    tags: Sequence[str] = (),
    audience: str = "network",
) -> Resource:
    """Publish a resource in the hub, in the name of ``by`` (an organiser or a group admin)."""
    if not may_publish(by, network):
        raise ActionRefused(
            "Only the network's organisers and its groups' admins can publish in the hub"
        )
    title = " ".join(title.split())
    if not title:
        raise ActionRefused("A resource needs a title")
    if kind not in dict(Resource.KINDS):
        raise ActionRefused(f"'{kind}' is not a kind of resource (document, link or guide)")
    if audience not in dict(Resource.AUDIENCES):
        raise ActionRefused(f"'{audience}' is not an audience (public or network)")
    described = None
    if kind == "link" and not url:
        raise ActionRefused("A link needs its address")
    if kind == "guide" and not body.strip():
        raise ActionRefused("A guide needs its text")
    if kind == "document":
        if upload is None:
            raise ActionRefused("A document needs its file")
        try:
            described = check_paper(*upload)
        except PaperError as exc:
            raise ActionRefused(str(exc)) from None
    with transaction.atomic():
        r = Resource(
            network=network,
            kind=kind,
            title=title[:200],
            summary=summary.strip(),
            body=body.strip() if kind == "guide" else "",
            url=url if kind == "link" else "",
            audience=audience,
            author=by if by.is_authenticated else None,
            author_name=_name_of(by),
            published_at=timezone.now(),
            tag_text=" ".join(tags),
        )
        if described is not None and upload is not None:
            r.filename, r.content_type = described.filename, described.content_type
            r.sha256 = described.sha256
            r.file.save(
                f"{described.sha256[:16]}-{described.filename}", ContentFile(upload[1]), save=False
            )
        r.save()
        r.tags.set([Tag.objects.get_or_create(name=t)[0] for t in tags])
        record(
            by,
            "network.hub.publish",
            f"resource:{r.pk}",
            f"Published {r.get_kind_display().lower()} '{r.title}' in the hub of {network.name} "
            f"({r.get_audience_display().lower()})",
            detail={"sha256": r.sha256} if r.sha256 else None,
        )
    return r


def withdraw_resource(resource: Resource, *, by: User, reason: str) -> Resource:
    """Take a resource out of the hub (it stays on the record, marked withdrawn, with why)."""
    if not may_publish(by, resource.network):
        raise ActionRefused("Only the network's organisers and its groups' admins can withdraw")
    if not reason.strip():
        raise ActionRefused("Say why the resource is withdrawn")
    with transaction.atomic():
        r = Resource.objects.select_for_update().get(pk=resource.pk)
        if r.withdrawn_at is not None:
            raise ActionRefused(f"'{r.title}' was already withdrawn")
        r.withdrawn_at, r.withdrawn_reason = timezone.now(), reason.strip()
        r.save(update_fields=["withdrawn_at", "withdrawn_reason"])
        record(
            by, "network.hub.withdraw", f"resource:{r.pk}", f"Withdrew '{r.title}'", reason=reason
        )
    return r


def _name_of(by: User) -> str:
    full = getattr(by, "get_full_name", lambda: "")()
    return full or getattr(by, "get_username", lambda: "")() or "the network"
