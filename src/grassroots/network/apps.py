from django.apps import AppConfig


class NetworkConfig(AppConfig):
    name = "grassroots.network"
    label = "network"
    verbose_name = "Network of groups"
