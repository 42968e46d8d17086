"""Support for the concurrency tests of every app: real parallel clients on the real database."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import TypeVar

from django.db import close_old_connections, connection

__all__ = ["database_url", "run_at_once"]

T = TypeVar("T")


def run_at_once(targets: Sequence[Callable[[], T]], *,
                timeout: float = 120) -> tuple[list[T], list[Exception]]:
    """Run each target on its own thread, all released by one barrier so they really race.
    Returns the results of the targets that returned (in target order) and the exceptions of
    those that raised. Each thread closes its own connection: PostgreSQL refuses to drop a test
    database that a finished thread still holds."""
    barrier = threading.Barrier(len(targets))
    outcomes: list[tuple[bool, object] | None] = [None] * len(targets)

    def run(index: int) -> None:
        try:
            barrier.wait(timeout=30)
            outcomes[index] = (True, targets[index]())
        except Exception as error:
            outcomes[index] = (False, error)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(len(targets))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    results = [value for outcome in outcomes if outcome and outcome[0] for value in [outcome[1]]]
    errors = [value for outcome in outcomes if outcome and not outcome[0] for value in [outcome[1]]]
    return results, errors


def database_url() -> str:
    """The test database as a ``DATABASE_URL``, for a process the test starts (a server, a
    worker, a second application server) to share it."""
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{settings['NAME']}"
    user = settings.get("USER") or "postgres"
    host = settings.get("HOST") or "127.0.0.1"
    port = settings.get("PORT") or 5432
    return f"postgres://{user}@{host}:{port}/{settings['NAME']}"
