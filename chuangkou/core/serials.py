"""Serial numbers (流水号): 1, 2, 3, … per scope and year, unique and without gaps.

A register of letters or applications is numbered so that anyone can see nothing was left out:
number 57 followed by 59 raises the question of what happened to 58. Two properties follow:

- **Unique.** The counter row of the scope and year is locked before it is read; a second
  transaction asking for a number waits until the first commits or rolls back, then reads the
  value the first left behind.
- **Gapless.** The increment is part of the caller's transaction. If the caller rolls back (the
  letter failed validation after taking its number), the increment rolls back with it and the
  next caller gets the same number. That is why :func:`next_serial` refuses to run outside a
  transaction: there, the increment would commit at once and a later failure would leave a gap.

The price is that creations in one scope and year run one at a time from the moment they take a
number until they commit, so take the number late in the action, after the slow work.
"""

from django.db import router, transaction
from django.db.models import F

from .models import SerialCounter

SCOPE_MAX_LENGTH = SerialCounter._meta.get_field("scope").max_length


def next_serial(*, scope: str, year: int) -> int:
    """The next number of ``scope`` (e.g. ``"letter"``) in ``year``, starting at 1.

    Call it inside the transaction that stores the numbered object. On PostgreSQL the counter
    row is locked with ``SELECT … FOR UPDATE``; on SQLite the project opens every transaction
    with ``BEGIN IMMEDIATE``, which already admits one writer at a time (and ``FOR UPDATE`` is
    not sent). Either way the lock is held until the caller's transaction ends.
    """
    if not scope or len(scope) > SCOPE_MAX_LENGTH:
        raise ValueError(f"scope must be 1 to {SCOPE_MAX_LENGTH} characters, not {scope!r}")
    if isinstance(year, bool) or not isinstance(year, int) or year < 1:
        raise ValueError(f"year must be a positive whole number, not {year!r}")
    connection = transaction.get_connection(router.db_for_write(SerialCounter))
    if not connection.in_atomic_block:
        raise RuntimeError(
            "next_serial() must run inside the transaction that stores the numbered object, "
            "or a rollback after it would leave a gap in the numbers"
        )
    counters = SerialCounter.objects.select_for_update()
    counter = counters.filter(scope=scope, year=year).first()
    if counter is None:
        # The first number of a scope and year. ON CONFLICT DO NOTHING: if another transaction
        # is creating the same row, PostgreSQL waits for it and then skips the insert, without
        # an IntegrityError that would abort this transaction.
        SerialCounter.objects.bulk_create([SerialCounter(scope=scope, year=year)],
                                          ignore_conflicts=True)
        counter = counters.get(scope=scope, year=year)
    SerialCounter.objects.filter(pk=counter.pk).update(last_value=F("last_value") + 1)
    return counter.last_value + 1
