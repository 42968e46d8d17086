"""The 好差评 demo: rates the decided applications it finds, with its three 差评 outcomes, and
is safe to run twice."""

from io import StringIO

import pytest

from chuangkou.organizations.choices import Role

from ..choices import AppealStatus, ApplicationStatus, RectificationStatus
from ..demo.ratings import PLAN, load_ratings_demo
from ..models import RatingAppeal, RectificationCase, ServiceRating
from .factories import make_application, make_item

pytestmark = pytest.mark.django_db


def test_without_decided_applications_the_demo_is_skipped(cluster):
    make_application(item=make_item(body=cluster.education), status=ApplicationStatus.SUBMITTED)
    out = StringIO()
    assert "跳过" in load_ratings_demo(stdout=out)
    assert "没有已办结的办件" in out.getvalue()
    assert not ServiceRating.objects.exists()


def test_the_demo_rates_decided_applications_once_with_each_outcome(cluster):
    # The demo acts through the body's handler and a supervisor (the cluster makes staff on
    # first use).
    cluster.user("education", Role.SERVICE_HANDLER)
    cluster.user("education", Role.SERVICE_SUPERVISOR)
    item = make_item(body=cluster.education)
    for _index in range(len(PLAN) + 2):
        make_application(item=item, status=ApplicationStatus.DELIVERED)
    make_application(item=item, status=ApplicationStatus.IN_PROGRESS)
    load_ratings_demo()
    load_ratings_demo()
    assert ServiceRating.objects.count() == len(PLAN)
    assert sorted(ServiceRating.objects.values_list("level", flat=True)) == sorted(
        plan[0] for plan in PLAN)
    cases = RectificationCase.objects.order_by("rating__application__number")
    assert [case.status for case in cases] == [RectificationStatus.CLOSED,
                                              RectificationStatus.OPEN,
                                              RectificationStatus.CLOSED]
    rectified = cases[0]
    assert not rectified.closed_late and rectified.handler is not None
    assert set(rectified.entries.values_list("kind", flat=True)) == {
        "assigned", "follow_up", "rectification", "closed"}
    appeal = RatingAppeal.objects.get()
    assert appeal.status == AppealStatus.UPHELD and appeal.rating.is_excluded
    assert ServiceRating.objects.filter(is_excluded=True).count() == 1
