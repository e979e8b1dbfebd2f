"""Thin views: the public election pages, the ballot (no JavaScript needed), results and API."""

from grassroots.elections.views.ballot import check_receipt, email_receipt, vote
from grassroots.elections.views.candidates import (
    candidate_add,
    candidate_consent,
    candidate_photo,
    nominate,
)
from grassroots.elections.views.corrections import (
    announce,
    cancel,
    candidate_edit,
    close_early,
    close_voting,
    count,
    delete,
    open_early,
    open_voting,
    publish,
    remind,
    withdraw,
)
from grassroots.elections.views.manage import election_detail, election_list
from grassroots.elections.views.results import (
    api_election,
    api_elections,
    api_receipt,
    bundle_zip,
    openapi,
    published_file,
    results,
)
from grassroots.elections.views.setup import election_edit, election_new

__all__ = [
    "announce",
    "api_election",
    "api_elections",
    "api_receipt",
    "bundle_zip",
    "cancel",
    "candidate_add",
    "candidate_consent",
    "candidate_edit",
    "candidate_photo",
    "check_receipt",
    "close_early",
    "close_voting",
    "count",
    "delete",
    "election_detail",
    "election_edit",
    "election_list",
    "election_new",
    "email_receipt",
    "nominate",
    "open_early",
    "open_voting",
    "openapi",
    "publish",
    "published_file",
    "remind",
    "results",
    "vote",
    "withdraw",
]
