"""好差评 reads: who may rate, the figures per body and item checked against hand-computed
values (removed ratings in none of them), the published 差评 record and the worklists."""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine

from chuangkou.organizations.choices import Role

from .. import actions
from ..actions.ratings import RatingInput
from ..choices import ApplicationStatus, RectificationEntryKind
from ..queries import ratings as queries
from .factories import make_application, make_item

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")
RATED = datetime(2026, 9, 28, 10, 0, tzinfo=SHANGHAI)


def rate(item, level, *, efficiency=None, comment="", status=ApplicationStatus.DELIVERED):
    application = make_application(item=item, status=status)
    value = level if efficiency is None else efficiency
    return actions.rate_application(application=application, rating=RatingInput(
        level=level, efficiency=value, guide_accuracy=level, convenience=level, usability=level,
        comment=comment))


def rectify(case, actor):
    actions.record_rectification_entry(case=case, actor=actor,
                                       kind=RectificationEntryKind.FOLLOW_UP, note="电话回访申请人。")
    actions.record_rectification_entry(case=case, actor=actor,
                                       kind=RectificationEntryKind.RECTIFICATION,
                                       note="优化窗口服务流程。")


@pytest.fixture
def figures(cluster):
    """education: item A1 rated 5 (efficiency 3), 4, 3, 1 (rectified on time), 2 (rectified
    late), 1 (removed on appeal); item A2 rated 2 (case open). health: item B rated 5
    (efficiency 4). All in 2026."""
    supervisor = cluster.user("education", Role.SERVICE_SUPERVISOR)
    a1 = make_item(body=cluster.education, name="义务教育阶段转学申请", code="A1")
    a2 = make_item(body=cluster.education, name="教师资格认定", code="A2")
    b = make_item(body=cluster.health, name="医师执业注册", code="B1")
    with time_machine.travel(RATED, tick=False):
        rate(a1, 5, efficiency=3)
        rate(a1, 4)
        rate(a1, 3)
        on_time = rate(a1, 1, comment="工作人员推诿，我的电话13912345678").rectification
        late = rate(a1, 2).rectification
        removed = rate(a1, 1).rectification
        open_case = rate(a2, 2).rectification
        rate(b, 5, efficiency=4)
        rectify(on_time, supervisor)
        rectify(late, supervisor)
    with time_machine.travel(datetime(2026, 10, 20, 10, 0, tzinfo=SHANGHAI), tick=False):
        actions.close_rectification_case(case=on_time, actor=supervisor,
                                         conclusion="已约谈经办人，联系电话13812345678。")
    with time_machine.travel(datetime(2026, 11, 2, 10, 0, tzinfo=SHANGHAI), tick=False):
        actions.close_rectification_case(case=late, actor=supervisor, conclusion="已整改。")
    appeal = actions.submit_rating_appeal(rating=removed.rating,
                                          actor=cluster.user("education", Role.SERVICE_HANDLER),
                                          reason="该申请人同日恶意重复差评，已有录音为证。")
    actions.decide_rating_appeal(appeal=appeal, actor=cluster.user("city", Role.SERVICE_SUPERVISOR),
                                 uphold=True, note="经核实属恶意评价。")
    return {"a1": a1, "a2": a2, "b": b, "on_time": on_time, "late": late, "open": open_case,
            "removed": removed}


def test_may_rate_only_decided_unrated_applications(cluster):
    item = make_item(body=cluster.education)
    for status in (ApplicationStatus.SUBMITTED, ApplicationStatus.IN_PROGRESS,
                   ApplicationStatus.REFUSED, ApplicationStatus.WITHDRAWN,
                   ApplicationStatus.SUPPLEMENT_REQUESTED):
        assert not queries.may_rate(make_application(item=item, status=status))
    decided = make_application(item=item, status=ApplicationStatus.DENIED)
    assert queries.may_rate(decided)
    actions.rate_application(application=decided, rating=RatingInput(
        level=5, efficiency=5, guide_accuracy=5, convenience=5, usability=5))
    assert not queries.may_rate(decided)


def test_figures_per_body_match_the_hand_count(cluster, figures):
    rows = {row.name: row for row in queries.rating_summaries(group_by="body")}
    education, health = rows[cluster.education.name], rows[cluster.health.name]
    assert education.count == 6
    assert education.levels == {5: 1, 4: 1, 3: 1, 2: 2, 1: 1}
    assert education.good == 2 and education.good_rate == Decimal("33.3")
    assert education.dissatisfied == 3
    assert education.rectified_on_time == 1 and education.rectified_on_time_rate == Decimal("33.3")
    assert education.average_level == Decimal("2.83")  # 17 / 6
    assert education.average_efficiency == Decimal("2.50")  # 15 / 6
    assert education.removed == 1
    assert {label: share for label, _n, share in education.level_rows}["不满意"] == (
        Decimal("33.3"))
    assert health.count == 1 and health.good_rate == Decimal("100.0")
    assert health.dissatisfied == 0 and health.rectified_on_time_rate is None
    assert health.average_efficiency == Decimal("4.00")


def test_figures_per_item_are_ordered_by_ratings(figures):
    rows = queries.rating_summaries(group_by="item")
    assert [row.code for row in rows] == ["A1", "A2", "B1"]
    a1, a2 = rows[0], rows[1]
    assert (a1.count, a1.good_rate, a1.dissatisfied, a1.rectified_on_time,
            a1.rectified_on_time_rate, a1.removed) == (5, Decimal("40.0"), 2, 1,
                                                       Decimal("50.0"), 1)
    assert a1.average_level == Decimal("3.00")  # 15 / 5
    assert (a2.count, a2.dissatisfied, a2.rectified_on_time_rate) == (1, 1, Decimal("0.0"))
    assert [row.code for row in queries.rating_summaries(group_by="item", limit=1)] == ["A1"]


def test_the_total_counts_every_body(figures):
    total = queries.rating_summary_total()
    assert (total.count, total.good, total.dissatisfied, total.rectified_on_time,
            total.removed) == (7, 3, 3, 1, 1)
    assert total.good_rate == Decimal("42.9") and total.average_level == Decimal("3.14")


def test_removed_ratings_drop_out_of_every_figure(cluster, figures):
    before = queries.rating_summary_total()
    case = figures["open"]
    appeal = actions.submit_rating_appeal(rating=case.rating,
                                          actor=cluster.user("education", Role.SERVICE_HANDLER),
                                          reason="申请人误将其他部门的事项评价给本单位。")
    actions.decide_rating_appeal(appeal=appeal, actor=cluster.user("city", Role.SERVICE_SUPERVISOR),
                                 uphold=True, note="经核实属误评。")
    after = queries.rating_summary_total()
    assert (after.count, after.dissatisfied, after.removed) == (
        before.count - 1, before.dissatisfied - 1, before.removed + 1)
    assert after.levels[2] == before.levels[2] - 1
    a2 = next(row for row in queries.rating_summaries(group_by="item") if row.code == "A2")
    assert a2.count == 0 and a2.average_level is None and a2.removed == 1
    assert all(line.item_name != "教师资格认定" for line in queries.recent_dissatisfied())


def test_filters_by_body_and_year(cluster, figures):
    with time_machine.travel(datetime(2025, 6, 2, 10, 0, tzinfo=SHANGHAI), tick=False):
        rate(figures["b"], 1)
    assert queries.rating_summary_total(year=2026).count == 7
    assert queries.rating_summary_total(year=2025).count == 1
    assert queries.rating_summary_total(body=cluster.health).count == 2
    assert queries.rating_summary_total(body=cluster.health, year=2026).count == 1
    rows = queries.rating_summaries(group_by="item", body=cluster.education)
    assert {row.code for row in rows} == {"A1", "A2"}
    assert queries.rating_years() == [2026, 2025]
    assert len(queries.recent_dissatisfied(year=2025)) == 1


def test_summaries_take_one_query_whatever_the_rows(cluster, figures, django_assert_num_queries):
    with django_assert_num_queries(1):
        queries.rating_summaries(group_by="body")
    with django_assert_num_queries(1):
        queries.rating_summaries(group_by="item")
    with django_assert_num_queries(1):
        queries.rating_summary_total()
    with django_assert_num_queries(1):
        queries.recent_dissatisfied()


def test_the_published_record_masks_personal_data_and_tells_the_outcome(figures):
    lines = queries.recent_dissatisfied()
    assert len(lines) == 3  # the removed one is not published
    by_due = {line.conclusion or line.status_label: line for line in lines}
    on_time = next(line for line in lines if "约谈" in line.conclusion)
    assert "13912345678" not in on_time.comment and "139****5678" in on_time.comment
    assert "13812345678" not in on_time.conclusion
    assert on_time.on_time is True and on_time.rated_on == date(2026, 9, 28)
    assert by_due["已整改。"].on_time is False
    assert by_due["整改中"].on_time is None


def test_worklists_split_open_and_overdue_cases_for_the_scope(cluster, figures):
    with time_machine.travel(RATED, tick=False):
        fresh = rate(figures["a1"], 2).rectification
    supervisor = cluster.user("education", Role.SERVICE_SUPERVISOR)
    today = date(2026, 10, 24)  # past the cases of 9-28 (due 10-23)
    assert list(queries.overdue_cases(supervisor, today=today)) == [figures["open"], fresh]
    assert list(queries.open_cases(supervisor, today=date(2026, 10, 23))) == [
        figures["open"], fresh]
    assert list(queries.open_cases(supervisor, today=today)) == []
    city = cluster.user("city", Role.SERVICE_SUPERVISOR)
    assert set(queries.overdue_cases(city, today=today)) == {figures["open"], fresh}
    for outsider in (cluster.user("health", Role.SERVICE_SUPERVISOR),
                     cluster.user("health", Role.SERVICE_HANDLER),
                     cluster.user("education", Role.SERVICE_ITEM_MANAGER),
                     cluster.user("city", Role.SYSTEM_ADMINISTRATOR)):
        assert not queries.overdue_cases(outsider, today=today).exists()
        assert not queries.ratings_for_staff(outsider).filter(body=cluster.education).exists()
    handler = cluster.user("education", Role.SERVICE_HANDLER)
    assert queries.cases_for_staff(handler).count() == 5  # four of the fixture and the fresh one


def test_pending_appeals_for_the_scope(cluster, figures):
    handler = cluster.user("education", Role.SERVICE_HANDLER)
    appeal = actions.submit_rating_appeal(rating=figures["open"].rating, actor=handler,
                                          reason="申请人误将其他部门的事项评价给本单位。")
    assert list(queries.pending_appeals(cluster.user("city", Role.SERVICE_SUPERVISOR))) == [
        appeal]
    assert list(queries.pending_appeals(handler)) == [appeal]
    assert not queries.pending_appeals(cluster.user("health", Role.SERVICE_SUPERVISOR)).exists()


def test_worklist_queries_do_not_grow_with_rows(cluster, figures, django_assert_max_num_queries):
    supervisor = cluster.user("city", Role.SERVICE_SUPERVISOR)

    def touch():
        for case in queries.open_cases(supervisor, today=date(2026, 9, 28)):
            _ = (case.rating.item.name, case.rating.application.number, case.body.name,
                 case.handler)
        for rating in queries.ratings_for_staff(supervisor):
            _ = (rating.item.name, rating.body.name, rating.application.number,
                 getattr(rating, "rectification", None))

    with django_assert_max_num_queries(10) as captured:
        touch()
    first = len(captured)
    with time_machine.travel(RATED, tick=False):
        for _index in range(4):
            rate(figures["a2"], 1)
    with django_assert_max_num_queries(first):
        touch()


def test_eligible_handlers_are_the_bodys_active_handlers(cluster):
    handler = cluster.user("education", Role.SERVICE_HANDLER)
    assert list(queries.eligible_rectification_handlers(cluster.education)) == [handler]
    handler.is_active = False
    handler.save(update_fields=["is_active"])
    assert not queries.eligible_rectification_handlers(cluster.education).exists()
