"""200 parallel submissions of the public form: 200 applications, numbers 1 to 200, no error.

Each worker is its own Django test Client in its own thread and database connection, as
parallel requests are; on SQLite the test database is a file (settings.test)."""

from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client

from chuangkou.disclosure.models import DisclosureApplication

from .factories_applications import form_data, resident_id

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

SUBMISSIONS = 200
WORKERS = 16


def submit(index: int) -> int:
    try:
        # Distinct client addresses: the per-address rate limit is not what is tested here.
        client = Client(REMOTE_ADDR=f"127.0.{index // 200}.{index % 200 + 1}")
        response = client.post("/zwgk/ysqgk/education/apply/", form_data(
            identity_document_number=resident_id(index), form_token=f"parallel-{index}"))
        return response.status_code
    finally:
        connection.close()


def test_200_parallel_submissions_get_200_unique_gapless_numbers(cluster):
    cache.clear()
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        statuses = list(pool.map(submit, range(SUBMISSIONS)))
    assert statuses == [302] * SUBMISSIONS
    sequences = sorted(DisclosureApplication.objects.values_list("sequence", flat=True))
    assert sequences == list(range(1, SUBMISSIONS + 1))
    numbers = set(DisclosureApplication.objects.values_list("number", flat=True))
    assert len(numbers) == SUBMISSIONS
    assert "YSQ" + str(DisclosureApplication.objects.first().year) + "-EDUCATION-00200" in numbers
