from django.apps import AppConfig


class SigninConfig(AppConfig):
    name = "grassroots.signin"
    label = "signin"
    verbose_name = "Signing in"
    default_auto_field = "django.db.models.BigAutoField"
