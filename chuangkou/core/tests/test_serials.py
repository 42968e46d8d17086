"""Serial numbers (流水号) are unique and gapless per scope and year, under real parallelism.

Each call runs in its own thread, connection and transaction, the way concurrent requests do;
on SQLite the test database is a file, so the threads lock it as a deployment would.
"""

from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, transaction

from chuangkou.core.models import SerialCounter
from chuangkou.core.serials import next_serial

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

WORKERS = 20
CALLS = 200


class Abandoned(Exception):
    """The numbered object failed after it took its number."""


def take_number(scope: str, year: int, *, fail: bool = False) -> int | None:
    try:
        with transaction.atomic():
            number = next_serial(scope=scope, year=year)
            if fail:
                raise Abandoned(number)
            return number
    except Abandoned:
        return None
    finally:
        connection.close()  # this thread's own connection; the test database must be droppable


def in_parallel(calls) -> list:
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        futures = [pool.submit(take_number, *args, **kwargs) for args, kwargs in calls]
        return [future.result() for future in futures]


def test_200_parallel_transactions_get_exactly_the_numbers_1_to_200():
    numbers = in_parallel([(("letter", 2026), {}) for _ in range(CALLS)])
    assert sorted(numbers) == list(range(1, CALLS + 1))
    assert SerialCounter.objects.get(scope="letter", year=2026).last_value == CALLS


def test_numbers_taken_by_rolled_back_transactions_are_given_again_so_none_is_missing():
    calls = [(("letter", 2026), {"fail": index % 10 == 9}) for index in range(CALLS)]
    results = in_parallel(calls)
    committed = [number for number in results if number is not None]
    assert len(committed) == CALLS - CALLS // 10
    assert sorted(committed) == list(range(1, len(committed) + 1))
    assert SerialCounter.objects.get(scope="letter", year=2026).last_value == len(committed)


def test_each_scope_and_year_counts_on_its_own_even_in_parallel():
    keys = [("letter", 2026), ("letter", 2027), ("application", 2026)]
    calls = [((keys[index % 3]), {}) for index in range(150)]
    results = in_parallel(calls)
    for key in keys:
        numbers = [number for (args, _), number in zip(calls, results, strict=True)
                   if args == key]
        assert sorted(numbers) == list(range(1, 51)), key


def test_a_rolled_back_first_number_leaves_no_counter_behind():
    assert take_number("complaint", 2026, fail=True) is None
    assert take_number("complaint", 2026) == 1


def test_next_serial_refuses_to_run_outside_a_transaction():
    with pytest.raises(RuntimeError, match="inside the transaction"):
        next_serial(scope="letter", year=2026)
    assert not SerialCounter.objects.exists()


@pytest.mark.parametrize("scope, year", [("", 2026), ("x" * 101, 2026), ("letter", 0),
                                         ("letter", True), ("letter", "2026")])
def test_a_blank_or_overlong_scope_and_a_non_year_are_refused(scope, year):
    with transaction.atomic(), pytest.raises(ValueError):
        next_serial(scope=scope, year=year)
