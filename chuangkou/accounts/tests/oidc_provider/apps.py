from django.apps import AppConfig


class IdentityProviderConfig(AppConfig):
    name = "chuangkou.accounts.tests.oidc_provider"
    label = "identity_provider"
    default_auto_field = "django.db.models.AutoField"
