"""Fixtures of the accounts tests: the real OpenID Connect provider (``oidc_provider/``) the single
sign-on tests talk to, started once per test session as a process of its own."""

from __future__ import annotations

import os
import selectors
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

from .oidc_provider import seed

REPOSITORY_ROOT = Path(__file__).resolve().parents[3]
PROVIDER_SETTINGS = "chuangkou.accounts.tests.oidc_provider.settings"
START_TIMEOUT_SECONDS = 60


@dataclass(frozen=True)
class IdentityProvider:
    base_url: str

    @property
    def issuer(self) -> str:
        return f"{self.base_url}/o"


def _listening_url(process: subprocess.Popen, log: Path) -> str:
    """The base URL from the provider's first line of output (it picks a free port itself)."""
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    with selectors.DefaultSelector() as selector:
        selector.register(process.stdout, selectors.EVENT_READ)
        while (remaining := deadline - time.monotonic()) > 0:
            if not selector.select(timeout=remaining):
                continue
            line = process.stdout.readline().decode().strip()
            if line.startswith("listening on "):
                return line.removeprefix("listening on ")
            if not line and process.poll() is not None:
                break
    raise RuntimeError(f"the test identity provider did not start:\n{log.read_text()}")


@pytest.fixture(scope="session")
def identity_provider(tmp_path_factory) -> IdentityProvider:
    """A django-oauth-toolkit OpenID Connect provider on 127.0.0.1 with the client and users of
    ``oidc_provider.seed``; stopped when the session ends."""
    data_dir = tmp_path_factory.mktemp("identity_provider")
    log = data_dir / "provider.log"
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": PROVIDER_SETTINGS,
                   "IDENTITY_PROVIDER_DATA_DIR": str(data_dir)}
    with log.open("wb") as errors:
        process = subprocess.Popen(
            [sys.executable, "-m", "django", "serve_identity_provider",
             "--stop-when-stdin-closes"],
            cwd=REPOSITORY_ROOT, env=environment, stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, stderr=errors)
    try:
        provider = IdentityProvider(base_url=_listening_url(process, log))
        discovery = requests.get(f"{provider.issuer}/.well-known/openid-configuration",
                                 timeout=START_TIMEOUT_SECONDS)
        discovery.raise_for_status()
        yield provider
    finally:
        process.stdin.close()
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        process.stdout.close()


@pytest.fixture
def oidc_settings(settings, identity_provider):
    """Single sign-on switched on against the test provider, real-name claims not trusted."""
    settings.ACCOUNTS_OIDC_ISSUER = identity_provider.issuer
    settings.ACCOUNTS_OIDC_CLIENT_ID = seed.CLIENT_ID
    settings.ACCOUNTS_OIDC_CLIENT_SECRET = seed.CLIENT_SECRET
    settings.ACCOUNTS_OIDC_SCOPES = seed.SCOPES
    settings.ACCOUNTS_OIDC_TRUST_REAL_NAME = False
    return settings
