"""The hub: a network's resources (documents, links, guides) with tags, each open to the
network's people or to the public, with its author and date."""

from __future__ import annotations

import re

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import connection, models
from django.db.models import Q
from django.utils import timezone

# the text-search configuration of PostgreSQL's full-text search (stems English words)
SEARCH_CONFIG = "english"
MAX_QUERY = 200  # characters of a search read; more is cut


class ResourceQuerySet(models.QuerySet["Resource"]):
    def current(self) -> ResourceQuerySet:
        return self.filter(withdrawn_at__isnull=True)

    def visible_to(
        self, user: AbstractBaseUser | AnonymousUser, in_network: bool
    ) -> ResourceQuerySet:
        """Public items for anyone; the network's items too for its signed-in people."""
        qs = self.current()
        if user.is_authenticated and in_network:
            return qs
        return qs.filter(audience="public")

    def search(self, query: str) -> ResourceQuerySet:
        """Resources matching ``query``: PostgreSQL's full-text search (ranked: title, then
        tags, then summary and text), or on SQLite every word found somewhere in them."""
        query = " ".join(query[:MAX_QUERY].split())
        if not query:
            return self
        if connection.vendor == "postgresql":
            from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

            vector = (
                SearchVector("title", weight="A", config=SEARCH_CONFIG)
                + SearchVector("tag_text", weight="B", config=SEARCH_CONFIG)
                + SearchVector("summary", "body", weight="C", config=SEARCH_CONFIG)
            )
            q = SearchQuery(query, search_type="websearch", config=SEARCH_CONFIG)
            return (
                self.annotate(document=vector, rank=SearchRank(vector, q))
                .filter(document=q)  # the vector matches the query (@@)
                .order_by("-rank", "-published_at", "-id")
            )
        qs = self
        for word in re.findall(r"\w+", query)[:10]:
            qs = qs.filter(
                Q(title__icontains=word)
                | Q(tag_text__icontains=word)
                | Q(summary__icontains=word)
                | Q(body__icontains=word)
            )
        return qs


class Tag(models.Model):
    """A word resources are filed under ("housing", "how-to"), lower case, one per name."""

    name = models.CharField(max_length=40, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Resource(models.Model):
    KINDS = (
        ("document", "Document"),
        ("link", "Link"),
        ("guide", "Guide"),
    )
    AUDIENCES = (
        ("public", "Anyone (public)"),
        ("network", "People of the network, signed in"),
    )

    network = models.ForeignKey("network.Network", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=10, choices=KINDS)
    title = models.CharField(max_length=200)
    summary = models.TextField(blank=True)
    body = models.TextField(blank=True)  # a guide's text
    url = models.URLField(blank=True, max_length=500)  # a link's address
    # a document: the file as uploaded, its kind checked from its first bytes, with its hash
    file = models.FileField(upload_to="hub/%Y/%m/", blank=True)
    filename = models.CharField(max_length=160, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    audience = models.CharField(max_length=8, choices=AUDIENCES, default="network")
    tags = models.ManyToManyField(Tag, blank=True, related_name="resources")
    tag_text = models.CharField(max_length=500, blank=True)  # the tags' names, for the search
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    author_name = models.CharField(max_length=200)  # as published, kept if the account goes
    published_at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_reason = models.TextField(blank=True)

    objects = ResourceQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-id"]
        indexes = [models.Index(fields=["network", "audience", "published_at"])]

    def __str__(self) -> str:
        return self.title
