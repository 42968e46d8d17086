"""Parallel submissions through ``submit_letter``: 200 letters from 16 threads get 200 unique,
gapless numbers, and one form token sent from 8 threads at once gives one letter.

Each worker thread has its own database connection and closes it when done, as parallel
requests do; on SQLite the test database is a file (settings.test)."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from chuangkou.mailbox import actions
from chuangkou.mailbox.models import Letter, WriterDetails

from .factories import letter_draft, writer_input

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

SUBMISSIONS = 200
WORKERS = 16
SAME_TOKEN_THREADS = 8


def submit(index: int, token: str, draft, writer) -> tuple[int, str | None]:
    try:
        letter, code = actions.submit_letter(draft=draft, writer=writer, form_token=token)
        return letter.pk, code
    finally:
        connection.close()


def test_200_parallel_submissions_get_200_letters_with_unique_gapless_numbers(cluster):
    draft = letter_draft(addressed_body=cluster.education)
    writer = writer_input()
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        results = list(pool.map(lambda index: submit(index, f"parallel-{index}", draft, writer),
                                range(SUBMISSIONS)))
    assert all(code for _pk, code in results)
    assert len({pk for pk, _code in results}) == SUBMISSIONS
    assert Letter.objects.count() == SUBMISSIONS
    assert WriterDetails.objects.count() == SUBMISSIONS
    sequences = sorted(Letter.objects.values_list("sequence", flat=True))
    assert sequences == list(range(1, SUBMISSIONS + 1))
    numbers = set(Letter.objects.values_list("number", flat=True))
    assert len(numbers) == SUBMISSIONS
    year = Letter.objects.values_list("year", flat=True).first()
    assert f"XJ{year}000200" in numbers
    assert not Letter.objects.filter(assigned_body__isnull=True).exists()  # all routed


def test_one_form_token_sent_from_8_threads_at_once_gives_one_letter(cluster):
    draft = letter_draft()
    writer = writer_input()
    barrier = threading.Barrier(SAME_TOKEN_THREADS)

    def at_once(index: int):
        barrier.wait(timeout=30)
        return submit(index, "the-same-token", draft, writer)

    with ThreadPoolExecutor(max_workers=SAME_TOKEN_THREADS) as pool:
        results = list(pool.map(at_once, range(SAME_TOKEN_THREADS)))
    assert Letter.objects.count() == 1
    letter = Letter.objects.get()
    assert {pk for pk, _code in results} == {letter.pk}
    assert len([code for _pk, code in results if code]) == 1  # the code is shown once
    assert letter.sequence == 1
    following, _code = actions.submit_letter(draft=draft, writer=writer, form_token="next")
    assert following.sequence == 2  # the losers' numbers were rolled back: no gap
