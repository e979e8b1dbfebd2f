"""Thin views: the public election pages, the ballot (no JavaScript needed), results and API."""

from grassroots.elections.views.ballot import check_receipt, email_receipt, vote
from grassroots.elections.views.candidates import (
    candidate_add,
    candidate_consent,
    candidate_photo,
    nominate,
)
from grassroots.elections.views.manage import (
    close_voting,
    election_detail,
    election_list,
    election_new,
    open_voting,
    publish,
    remind,
)
from grassroots.elections.views.results import (
    api_election,
    api_elections,
    api_receipt,
    bundle_zip,
    openapi,
    published_file,
    results,
)

__all__ = [
    "api_election",
    "api_elections",
    "api_receipt",
    "bundle_zip",
    "candidate_add",
    "candidate_consent",
    "candidate_photo",
    "check_receipt",
    "close_voting",
    "election_detail",
    "election_list",
    "election_new",
    "email_receipt",
    "nominate",
    "open_voting",
    "openapi",
    "publish",
    "published_file",
    "remind",
    "results",
    "vote",
]
