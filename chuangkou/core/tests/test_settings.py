"""Production settings refuse to start unconfigured, and pass Django's deployment checks."""

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]
SECRET = "x" * 20 + "-Zq9#production-secret-key-for-the-check-only-4f8a"
KEYS = {"PERSONAL_DATA_KEYS": "prod:0f1e2d3c4b5a69788796a5b4c3d2e1f0",
        "PERSONAL_DATA_INDEX_KEY": "00ff11ee22dd33cc44bb55aa66997788"}


def run_manage(*args, env_overrides):
    env = {k: v for k, v in os.environ.items()
           if k not in {"SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    env.update({"DJANGO_SETTINGS_MODULE": "chuangkou.settings.production", **env_overrides})
    return subprocess.run([sys.executable, "manage.py", *args], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=120)


def test_production_refuses_to_start_without_a_secret_key():
    result = run_manage("check", env_overrides={"ALLOWED_HOSTS": "www.example.gov.cn"})
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = run_manage("check", env_overrides={"SECRET_KEY": SECRET})
    assert result.returncode != 0
    assert "ALLOWED_HOSTS" in result.stderr


def test_check_deploy_is_clean_under_production_settings():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING",
                        env_overrides={"SECRET_KEY": SECRET, "ALLOWED_HOSTS": "www.example.gov.cn",
                                       **KEYS})
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_personal_data_keys():
    result = run_manage("check", "--deploy",
                        env_overrides={"SECRET_KEY": SECRET, "ALLOWED_HOSTS": "www.example.gov.cn"})
    assert result.returncode != 0
    assert "PERSONAL_DATA_KEYS must be set" in result.stderr


def test_redis_url_switches_the_cache_to_the_real_redis_server():
    script = (
        "from django.core.cache import cache; from django.conf import settings;"
        "cache.set('chuangkou-settings-probe', 'ok', 30);"
        "print(settings.CACHES['default']['BACKEND'], cache.get('chuangkou-settings-probe'))"
    )
    result = run_manage("shell", "-c", script, env_overrides={
        "DJANGO_SETTINGS_MODULE": "chuangkou.settings.development",
        "REDIS_URL": "redis://127.0.0.1:6379/15",
    })
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-2:] == ["django_redis.cache.RedisCache", "ok"]


def test_database_url_selects_postgresql():
    script = "from django.db import connection; print(connection.vendor)"
    result = run_manage("shell", "-c", script, env_overrides={
        "DJANGO_SETTINGS_MODULE": "chuangkou.settings.development",
        "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/postgres",
    })
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-1] == "postgresql"
