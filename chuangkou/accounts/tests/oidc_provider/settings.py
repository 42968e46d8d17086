"""Settings of the test identity provider: django-oauth-toolkit with OpenID Connect on, an RS256
signing key made at start-up, a SQLite database in ``IDENTITY_PROVIDER_DATA_DIR``."""

import os
import secrets
import tempfile
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

DATA_DIR = Path(os.environ.get("IDENTITY_PROVIDER_DATA_DIR")
                or tempfile.mkdtemp(prefix="chuangkou-identity-provider-"))

# A fresh key per process: the provider lives for one test session and nothing outlives it.
SECRET_KEY = secrets.token_urlsafe(50)
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "oauth2_provider",
    "chuangkou.accounts.tests.oidc_provider.apps.IdentityProviderConfig",
]
MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
]
ROOT_URLCONF = "chuangkou.accounts.tests.oidc_provider.urls"
TEMPLATES = [{
    "BACKEND": "django.template.backends.django.DjangoTemplates",
    "APP_DIRS": True,
    "OPTIONS": {"context_processors": ["django.template.context_processors.request"]},
}]
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3",
                         "NAME": str(DATA_DIR / "identity_provider.sqlite3")}}
# Tables straight from the models (syncdb): starting takes a fraction of a second instead of
# replaying every migration of django-oauth-toolkit.
MIGRATION_MODULES = dict.fromkeys(
    ("auth", "contenttypes", "sessions", "oauth2_provider", "identity_provider"))
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LOGIN_URL = "/accounts/login/"
USE_TZ = True
TIME_ZONE = "Asia/Shanghai"
LANGUAGE_CODE = "zh-hans"

_signing_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
OAUTH2_PROVIDER = {
    "OIDC_ENABLED": True,
    "OIDC_RSA_PRIVATE_KEY": _signing_key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption()).decode(),
    "OAUTH2_VALIDATOR_CLASS":
        "chuangkou.accounts.tests.oidc_provider.validators.IdentityClaimsValidator",
    "SCOPES": {
        "openid": "OpenID Connect",
        "profile": "姓名与身份证号码",
        "email": "电子邮箱",
        "phone": "手机号码",
    },
    "PKCE_REQUIRED": True,
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {"django.server": {"level": "ERROR"}},
}
