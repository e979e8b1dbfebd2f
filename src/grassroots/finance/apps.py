from django.apps import AppConfig


class FinanceConfig(AppConfig):
    name = "grassroots.finance"
    label = "finance"
    verbose_name = "Open books"

    def ready(self) -> None:
        # a member's standing page shows this year's subscription and where it went
        from grassroots.finance.subscription_figures import standing_section
        from grassroots.members.sections import register

        register(standing_section)
