"""统一身份认证: single sign-on with the government identity provider, and one's links to it."""

from django.urls import path

from ..views import oidc

urlpatterns = [
    path("oidc/start/", oidc.start, name="oidc_start"),
    path("oidc/callback/", oidc.callback, name="oidc_callback"),
    path("oidc/links/", oidc.links, name="oidc_links"),
    path("oidc/links/link/", oidc.link, name="oidc_link"),
    path("oidc/links/<int:identity_id>/unlink/", oidc.unlink, name="oidc_unlink"),
]
