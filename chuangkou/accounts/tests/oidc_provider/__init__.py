"""A real OpenID Connect provider for the single sign-on tests: a standalone Django project on
django-oauth-toolkit, standing in for a government identity provider (统一身份认证平台).

It never runs inside the Chuangkou project: ``conftest.identity_provider`` starts it as its own
process (``python -m django serve_identity_provider`` with
``DJANGO_SETTINGS_MODULE=chuangkou.accounts.tests.oidc_provider.settings``), on its own SQLite
database in a temporary directory, and stops it at the end of the session. Run it by hand the same
way to try the sign-in in a browser.
"""
