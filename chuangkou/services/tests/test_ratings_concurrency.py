"""Parallel 好差评 actions: one application rated from 8 threads at once gets one rating (and
one case), and one appeal decided by two supervisors at once is decided once.

Each worker thread has its own database connection and closes it when done, as parallel
requests do; on SQLite the test database is a file (settings.test)."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from chuangkou.organizations.choices import Role

from .. import actions
from ..actions.ratings import RatingInput
from ..choices import ApplicationStatus
from ..exceptions import ServicesRuleViolation
from ..models import RatingAppeal, RectificationCase, ServiceRating
from .factories import make_application, make_item

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

THREADS = 8


def run_at_once(count: int, work):
    barrier = threading.Barrier(count)

    def one(index: int):
        barrier.wait(timeout=30)
        try:
            return work(index)
        except ServicesRuleViolation as violation:
            return violation
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(one, range(count)))


def test_one_application_rated_from_8_threads_gets_one_rating(cluster):
    application = make_application(item=make_item(body=cluster.education),
                                   status=ApplicationStatus.DELIVERED)
    results = run_at_once(THREADS, lambda index: actions.rate_application(
        application=application, rating=RatingInput(
            level=1, efficiency=1, guide_accuracy=1, convenience=1, usability=1)))
    saved = [result for result in results if isinstance(result, ServiceRating)]
    refused = [result for result in results if isinstance(result, ServicesRuleViolation)]
    assert len(saved) == 1 and len(refused) == THREADS - 1
    assert ServiceRating.objects.count() == 1 and RectificationCase.objects.count() == 1


def test_one_appeal_decided_by_two_supervisors_at_once_is_decided_once(cluster):
    application = make_application(item=make_item(body=cluster.education),
                                   status=ApplicationStatus.DELIVERED)
    rating = actions.rate_application(application=application, rating=RatingInput(
        level=2, efficiency=2, guide_accuracy=2, convenience=2, usability=2))
    appeal = actions.submit_rating_appeal(
        rating=rating, actor=cluster.user("education", Role.SERVICE_HANDLER),
        reason="申请人误将其他部门的事项评价给本单位。")
    deciders = [cluster.user("education", Role.SERVICE_SUPERVISOR),
                cluster.user("city", Role.SERVICE_SUPERVISOR)]
    results = run_at_once(2, lambda index: actions.decide_rating_appeal(
        appeal=appeal, actor=deciders[index], uphold=index == 0,
        note="经核实作出复核结论。"))
    assert sum(isinstance(result, RatingAppeal) for result in results) == 1
    assert sum(isinstance(result, ServicesRuleViolation) for result in results) == 1
    appeal.refresh_from_db()
    rating.refresh_from_db()
    assert rating.is_excluded == (appeal.status == "upheld")
