from django.urls import URLPattern, URLResolver, path

import grassroots.members.urls  # noqa: F401  (registers the 'id' and 'ident' converters)
from grassroots.finance.views import postings as posting_views
from grassroots.finance.views import refunds as refund_views
from grassroots.finance.views import subscription_public as subs_public
from grassroots.finance.views import subscriptions as subs
from grassroots.finance.views.books_urls import urlpatterns as books_urls

app_name = "finance"
urlpatterns: list[URLPattern | URLResolver] = [
    # subscriptions: where each member's goes, each unit's totals, remittances, what-if, rules
    path("me/subscription/", subs.my_subscription, name="my_subscription"),
    path(
        "finance/members/<ident:number>/subscription/",
        subs.member_subscription,
        name="member_subscription",
    ),
    path("finance/members/<ident:number>/payments/new/", subs.payment_new, name="payment_new"),
    path(
        "finance/members/<ident:number>/payments/<id:pk>/refund/",
        refund_views.refund_new,
        name="refund_new",
    ),
    path(
        "finance/units/<ident:code>/payments/import/",
        subs.payments_import,
        name="payments_import",
    ),
    path(
        "finance/units/<ident:code>/payments/import/confirm/",
        subs.payments_import_confirm,
        name="payments_import_confirm",
    ),
    path("finance/subscriptions/", subs_public.rules, name="rules"),
    path("finance/subscriptions/rules/new/", subs_public.rule_new, name="rule_new"),
    path(
        "finance/units/<ident:code>/subscriptions/",
        subs_public.unit_subscriptions,
        name="unit_subscriptions",
    ),
    path("finance/units/<ident:code>/remittances/", subs_public.remittances, name="remittances"),
    path(
        "finance/units/<ident:code>/remittances/new/",
        subs_public.remittance_new,
        name="remittance_new",
    ),
    path(
        "finance/units/<ident:code>/remittances/post/",
        posting_views.post_income,
        name="post_income",
    ),
    path("finance/units/<ident:code>/what-if/", subs_public.what_if, name="what_if"),
    path("api/subscription-rules", subs_public.api_rules, name="api_rules"),
    path("api/subscription-rules/<id:pk>", subs_public.api_rule, name="api_rule"),
]

# the books: ledger, bank statements, spending, budgets, published accounts
urlpatterns += books_urls
