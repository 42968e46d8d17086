"""索引号 under concurrent registration: unique and gapless per body and year, on both
databases."""

import threading

import pytest
import time_machine
from django.db import connection

from chuangkou.disclosure.models import DisclosureRecord
from chuangkou.disclosure.tests.factories_catalogue import register
from chuangkou.sitecluster.tests.factories import make_article

THREADS = 8
REGISTRATIONS = 40


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@time_machine.travel("2026-07-01 10:00 +0800", tick=True)
def test_forty_parallel_registrations_get_sequences_one_to_forty(cluster):
    articles = [make_article(column=cluster.education_news, title=f"示例市教育局通知第{n}号")
                for n in range(REGISTRATIONS)]
    barrier = threading.Barrier(THREADS)
    errors: list[str] = []
    lock = threading.Lock()

    def worker(number: int) -> None:
        try:
            barrier.wait(timeout=30)
            for article in articles[number::THREADS]:
                register(page=article, body=cluster.education)
        except Exception as error:
            with lock:
                errors.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    records = DisclosureRecord.objects.filter(body=cluster.education)
    assert sorted(records.values_list("index_sequence", flat=True)) == list(
        range(1, REGISTRATIONS + 1))
    assert set(records.values_list("index_year", flat=True)) == {2026}
    assert records.values("index_number").distinct().count() == REGISTRATIONS
