"""Citizen pages under /yonghu/ (用户), one module per part."""

from . import (
    enterprises,
    homepage,
    identity,
    oidc,
    profile,
    registration,
    reminders,
    security,
    subscriptions,
)

app_name = "accounts"

urlpatterns = [
    *homepage.urlpatterns,
    *registration.urlpatterns,
    *security.urlpatterns,
    *profile.urlpatterns,
    *identity.urlpatterns,
    *enterprises.urlpatterns,
    *oidc.urlpatterns,
    *reminders.urlpatterns,
    *subscriptions.urlpatterns,
]
