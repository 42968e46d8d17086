"""Periodic tasks (定时任务): the scheduler enqueues each registered task once per interval,
however often it runs; a task that cannot be enqueued stays due and does not stop the others.
(Two schedulers at once, on real threads: notifications/tests/test_periodic_concurrency.py.)"""

from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command
from django_tasks import task
from wagtail import hooks

from chuangkou.core.models import PeriodicTaskRun
from chuangkou.core.periodic import (
    HOOK_NAME,
    PeriodicTask,
    PeriodicTasksFailed,
    enqueue_due_periodic_tasks,
    registered_periodic_tasks,
)

pytestmark = pytest.mark.django_db

RUNS: list[str] = []
NOON = datetime(2026, 11, 23, 4, 0, tzinfo=UTC)  # 12:00 in Beijing


@task(backend="background", queue_name="periodic")
def sweep_overdue_letters() -> None:
    RUNS.append("sweep")


@task(backend="background", queue_name="periodic")
def send_daily_digests() -> None:
    RUNS.append("digest")


SWEEP = PeriodicTask("test.sweep_overdue_letters", timedelta(minutes=5), sweep_overdue_letters)
DIGEST = PeriodicTask("test.send_daily_digests", timedelta(days=1), send_daily_digests)


class UnreachableQueue:
    """A queue backend that is down: enqueueing raises."""

    def enqueue(self):
        raise ConnectionError("任务队列服务无法连接")


@pytest.fixture(autouse=True)
def only_the_tasks_of_these_tests(monkeypatch):
    """The apps' own periodic tasks stay out of these tests (they would run here)."""
    hooks.search_for_hooks()
    monkeypatch.setitem(hooks._hooks, HOOK_NAME, [])


@pytest.fixture
def registered():
    RUNS.clear()
    with hooks.register_temporarily(HOOK_NAME, lambda: [SWEEP, DIGEST]):
        yield


def test_every_task_runs_the_first_time_the_scheduler_runs(registered):
    assert enqueue_due_periodic_tasks(now=NOON) == [DIGEST.name, SWEEP.name]
    assert sorted(RUNS) == ["digest", "sweep"]
    assert PeriodicTaskRun.objects.get(name=SWEEP.name).last_enqueued_at == NOON


def test_a_task_is_not_enqueued_again_within_its_interval(registered):
    enqueue_due_periodic_tasks(now=NOON)
    RUNS.clear()
    assert enqueue_due_periodic_tasks(now=NOON + timedelta(minutes=1)) == []
    assert enqueue_due_periodic_tasks(now=NOON + timedelta(minutes=4)) == []
    assert RUNS == []


def test_a_task_is_enqueued_again_once_its_interval_has_passed(registered):
    enqueue_due_periodic_tasks(now=NOON)
    RUNS.clear()
    assert enqueue_due_periodic_tasks(now=NOON + timedelta(minutes=5)) == [SWEEP.name]
    assert enqueue_due_periodic_tasks(now=NOON + timedelta(days=1)) == [DIGEST.name, SWEEP.name]
    assert RUNS == ["sweep", "digest", "sweep"]


def test_a_scheduler_run_starting_a_few_seconds_early_does_not_skip_a_whole_tick(registered):
    enqueue_due_periodic_tasks(now=NOON)
    assert enqueue_due_periodic_tasks(
        now=NOON + timedelta(minutes=5) - timedelta(seconds=3)) == [SWEEP.name]
    assert enqueue_due_periodic_tasks(
        now=NOON + timedelta(minutes=10) - timedelta(seconds=40)) == []


def test_the_same_name_registered_for_two_different_tasks_is_refused():
    clash = PeriodicTask(SWEEP.name, timedelta(hours=1), send_daily_digests)
    with (hooks.register_temporarily([(HOOK_NAME, lambda: [SWEEP]), (HOOK_NAME, lambda: [clash])]),
          pytest.raises(ImproperlyConfigured, match="registered twice")):
        registered_periodic_tasks()


@pytest.mark.parametrize("name, every", [("", timedelta(minutes=5)),
                                         ("test.never", timedelta(0))])
def test_a_periodic_task_needs_a_name_and_a_positive_interval(name, every):
    with pytest.raises(ValueError):
        PeriodicTask(name, every, sweep_overdue_letters)


def test_a_task_that_cannot_be_enqueued_stays_due_and_the_others_still_run():
    RUNS.clear()
    broken = PeriodicTask("test.broken", timedelta(minutes=5), UnreachableQueue())
    with (hooks.register_temporarily(HOOK_NAME, lambda: [broken, SWEEP]),
          pytest.raises(PeriodicTasksFailed) as failure):
        enqueue_due_periodic_tasks(now=NOON)
    assert failure.value.enqueued == [SWEEP.name]
    assert "任务队列服务无法连接" in failure.value.failed["test.broken"]
    assert PeriodicTaskRun.objects.get(name="test.broken").last_enqueued_at is None
    assert RUNS == ["sweep"]


def test_the_command_prints_what_it_enqueued(registered):
    out = StringIO()
    call_command("enqueue_periodic_tasks", stdout=out)
    assert out.getvalue().splitlines() == [f"enqueued {DIGEST.name}", f"enqueued {SWEEP.name}"]
    out = StringIO()
    call_command("enqueue_periodic_tasks", stdout=out)
    assert out.getvalue() == ""


def test_the_command_fails_when_a_task_could_not_be_enqueued():
    broken = PeriodicTask("test.broken", timedelta(minutes=5), UnreachableQueue())
    with (hooks.register_temporarily(HOOK_NAME, lambda: [broken]),
          pytest.raises(CommandError, match=r"test\.broken")):
        call_command("enqueue_periodic_tasks", stdout=StringIO())
