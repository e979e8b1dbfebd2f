from django.apps import AppConfig


class FinanceConfig(AppConfig):
    name = "grassroots.finance"
    label = "finance"
    verbose_name = "Open books"
