"""Scale-out: a second application server keeps its own replica current from the database's
change log with ``manage.py follow_search_changes``, and catches up after being stopped."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from chuangkou.core.testing import database_url
from chuangkou.search.engine import IndexStore
from chuangkou.search.querying import EngineQuery, TermGroup
from chuangkou.sitecluster.tests.factories import make_article

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

MANAGE = Path(__file__).resolve().parents[3] / "manage.py"


def environment(index_dir: Path, var_dir: Path) -> dict:
    return {**os.environ, "DJANGO_SETTINGS_MODULE": "chuangkou.settings.test",
            "DATABASE_URL": database_url(), "CHUANGKOU_VAR_DIR": str(var_dir),
            "SEARCH_INDEX_DIR": str(index_dir), "REDIS_URL": ""}


def follow_once(index_dir: Path, var_dir: Path) -> str:
    completed = subprocess.run(
        [sys.executable, str(MANAGE), "follow_search_changes", "--once"],
        env=environment(index_dir, var_dir), capture_output=True, text=True, timeout=120)
    assert completed.returncode == 0, completed.stderr
    return completed.stdout


def found(index_dir: Path, word: str) -> set[str]:
    store = IndexStore(index_dir)
    result = store.current().search(EngineQuery(groups=(TermGroup(alternatives=((word,),)),),
                                                limit=20, with_facets=False))
    return {hit.key for hit in result.hits}


def test_second_server_replica_catches_up_after_being_stopped(cluster, tmp_path):
    replica = tmp_path / "server-b"
    first = make_article(column=cluster.health_news, title="中医药服务能力提升工程",
                         body="<p>建设中医药服务中心。</p>")
    follow_once(replica, tmp_path)
    assert found(replica, "中医药") == {f"page:{first.pk}"}
    # Server B is stopped while the portal keeps changing.
    second = make_article(column=cluster.education_news, title="中医药文化进校园",
                          body="<p>中小学开设中医药课程。</p>")
    first.unpublish()
    follow_once(replica, tmp_path)
    assert found(replica, "中医药") == {f"page:{second.pk}"}


def test_follower_applies_new_changes_within_seconds_and_stops_on_sigterm(cluster, tmp_path):
    replica = tmp_path / "server-c"
    log = (tmp_path / "follower.log").open("w")
    process = subprocess.Popen(
        [sys.executable, str(MANAGE), "follow_search_changes", "--interval", "0.2"],
        env=environment(replica, tmp_path), stdout=log, stderr=subprocess.STDOUT,
        start_new_session=True)
    try:
        article = make_article(column=cluster.district_news, title="垃圾分类示范小区评选",
                               body="<p>评选垃圾分类示范小区。</p>")
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if (replica / "current").exists() and found(replica, "垃圾分类"):
                break
            time.sleep(0.2)
        assert found(replica, "垃圾分类") == {f"page:{article.pk}"}
        os.killpg(process.pid, signal.SIGTERM)
        assert process.wait(timeout=15) == 0
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        log.close()
