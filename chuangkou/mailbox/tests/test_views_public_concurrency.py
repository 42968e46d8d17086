"""200 parallel submissions of the public write form: 200 letters with unique gapless numbers;
one form token sent 5 times at once: one letter.

Each worker is its own Django test Client in its own thread and database connection, as
parallel requests are; on SQLite the test database is a file (settings.test). The bot check's
time check is satisfied by tokens signed as if the form had been served 10 seconds earlier."""

from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection
from django.test import Client

from chuangkou.mailbox.models import Letter, WriterDetails

from .public_helpers import WRITE, clear_rate_limits, form_data

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

SUBMISSIONS = 200
WORKERS = 16


def post(index: int, data: dict) -> int:
    try:
        # Distinct client addresses: the per-address rate limit is not what is tested here.
        client = Client(REMOTE_ADDR=f"127.1.{index // 200}.{index % 200 + 1}")
        return client.post(WRITE, data).status_code
    finally:
        connection.close()


def test_200_parallel_letters_get_200_unique_gapless_numbers(cluster):
    clear_rate_limits()
    forms = [form_data(form_token=f"parallel-{index}", name=f"写信人{index}")
             for index in range(SUBMISSIONS)]
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        statuses = list(pool.map(post, range(SUBMISSIONS), forms))
    assert statuses == [302] * SUBMISSIONS
    letters = Letter.objects.all()
    assert letters.count() == SUBMISSIONS
    year = letters.first().year
    assert sorted(letters.values_list("sequence", flat=True)) == list(range(1, SUBMISSIONS + 1))
    numbers = set(letters.values_list("number", flat=True))
    assert len(numbers) == SUBMISSIONS and f"XJ{year}000200" in numbers
    assert WriterDetails.objects.count() == SUBMISSIONS
    clear_rate_limits()


def test_one_form_token_sent_five_times_at_once_makes_one_letter(cluster):
    clear_rate_limits()
    data = form_data(form_token="double-click-token")
    with ThreadPoolExecutor(max_workers=5) as pool:
        statuses = list(pool.map(post, range(5), [data] * 5))
    assert statuses == [302] * 5
    assert Letter.objects.filter(form_token="double-click-token").count() == 1
    assert Letter.objects.count() == 1
    clear_rate_limits()
