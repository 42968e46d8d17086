"""好差评 actions: rating once after a decision, rectification of 差评 with its handler, record
and deadline, and appeals."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied

from chuangkou.core.models import AuditEvent
from chuangkou.organizations.choices import Role

from .. import actions
from ..actions.ratings import RatingInput
from ..choices import (
    AppealStatus,
    ApplicationEventKind,
    ApplicationStatus,
    RectificationEntryKind,
    RectificationStatus,
)
from ..exceptions import ServicesRuleViolation
from ..models import ApplicationEvent, RatingAppeal, RectificationCase, ServiceRating
from .factories import make_application, make_item

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


def levels(level=5, **extra) -> RatingInput:
    values = {"level": level, "efficiency": level, "guide_accuracy": level,
              "convenience": level, "usability": level, "comment": ""}
    values.update(extra)
    return RatingInput(**values)


@pytest.fixture
def item(cluster):
    return make_item(body=cluster.education)


@pytest.fixture
def decided(item):
    return make_application(item=item, status=ApplicationStatus.APPROVED)


def bad_case(item, *, comment="窗口态度差") -> RectificationCase:
    application = make_application(item=item, status=ApplicationStatus.DELIVERED)
    rating = actions.rate_application(application=application,
                                      rating=levels(1, comment=comment))
    return rating.rectification


def supervisor(cluster, body="education"):
    return cluster.user(body, Role.SERVICE_SUPERVISOR)


def handler(cluster, body="education"):
    return cluster.user(body, Role.SERVICE_HANDLER)


# --------------------------------------------------------------------------- rating


@pytest.mark.parametrize("status", [ApplicationStatus.APPROVED, ApplicationStatus.DENIED,
                                    ApplicationStatus.DELIVERED])
def test_a_decided_application_is_rated_with_item_body_and_timeline(item, status):
    application = make_application(item=item, status=status)
    rating = actions.rate_application(
        application=application,
        rating=levels(4, efficiency=3, guide_accuracy=5, convenience=2, usability=1,
                      comment="  办事很快\r\n谢谢  "))
    rating.refresh_from_db()
    assert (rating.level, rating.efficiency, rating.guide_accuracy, rating.convenience,
            rating.usability) == (4, 3, 5, 2, 1)
    assert rating.item == item and rating.body == item.implementing_body
    assert rating.comment == "办事很快\n谢谢"
    event = ApplicationEvent.objects.get(application=application, kind=ApplicationEventKind.RATED)
    assert event.visible_to_applicant and "满意" in event.public_note
    assert not RectificationCase.objects.exists()
    audit = AuditEvent.objects.get(action="services.rating.created")
    assert audit.data["level"] == 4 and "谢谢" not in str(audit.data)


@pytest.mark.parametrize("status", [ApplicationStatus.SUBMITTED, ApplicationStatus.IN_PROGRESS,
                                    ApplicationStatus.SUPPLEMENT_REQUESTED,
                                    ApplicationStatus.REFUSED, ApplicationStatus.WITHDRAWN])
def test_an_application_not_yet_decided_cannot_be_rated(item, status):
    application = make_application(item=item, status=status)
    with pytest.raises(ServicesRuleViolation) as error:
        actions.rate_application(application=application, rating=levels())
    assert "已办结" in str(error.value.errors["__all__"][0])
    assert not ServiceRating.objects.exists()


def test_an_application_is_rated_once(decided):
    actions.rate_application(application=decided, rating=levels())
    with pytest.raises(ServicesRuleViolation) as error:
        actions.rate_application(application=decided, rating=levels(1))
    assert "该办件已评价" in str(error.value.errors["__all__"][0])
    assert ServiceRating.objects.count() == 1 and not RectificationCase.objects.exists()


@pytest.mark.parametrize(("field", "name"), [("level", "整体满意度"), ("efficiency", "办事效率"),
                                             ("guide_accuracy", "办事指南精确度"),
                                             ("convenience", "办事便捷度"),
                                             ("usability", "平台操作性")])
@pytest.mark.parametrize("value", [0, 6, None, "5", True])
def test_each_indicator_out_of_range_is_refused_naming_it(decided, field, name, value):
    with pytest.raises(ServicesRuleViolation) as error:
        actions.rate_application(application=decided,
                                 rating=RatingInput(**{**levels().__dict__, field: value}))
    assert list(error.value.errors) == [field]
    assert name in str(error.value.errors[field][0])
    assert not ServiceRating.objects.exists()


def test_a_comment_over_500_characters_is_refused(decided):
    with pytest.raises(ServicesRuleViolation) as error:
        actions.rate_application(application=decided, rating=levels(comment="好" * 501))
    assert "500" in str(error.value.errors["comment"][0])
    actions.rate_application(application=decided, rating=levels(comment="好" * 500))


def test_a_comment_is_kept_as_plain_text_without_control_characters(decided):
    rating = actions.rate_application(application=decided,
                                      rating=levels(comment="<script>x</script>\x00\x07好"))
    assert rating.comment == "<script>x</script>好"


@pytest.mark.parametrize("level", [1, 2])
def test_a_dissatisfied_rating_opens_a_case_and_mails_the_supervisors_above(
        cluster, item, level, django_capture_on_commit_callbacks):
    people = (supervisor(cluster), supervisor(cluster, "city"), supervisor(cluster, "health"),
              handler(cluster))  # made before the rating: the cluster makes staff on first use
    application = make_application(item=item, status=ApplicationStatus.DELIVERED)
    with django_capture_on_commit_callbacks(execute=True):
        rating = actions.rate_application(application=application, rating=levels(level))
    case = RectificationCase.objects.get(rating=rating)
    assert case.body == cluster.education and case.status == RectificationStatus.OPEN
    assert case.handler is None
    recipients = {address for message in mail.outbox for address in message.to}
    assert people[0].email in recipients and people[1].email in recipients
    assert people[2].email not in recipients and people[3].email not in recipients
    assert application.number in mail.outbox[0].subject


@pytest.mark.parametrize("level", [3, 4, 5])
def test_a_satisfied_rating_opens_no_case(decided, level):
    actions.rate_application(application=decided, rating=levels(level))
    assert not RectificationCase.objects.exists()


def test_the_case_is_due_15_working_days_later_across_national_day(item):
    application = make_application(item=item, status=ApplicationStatus.APPROVED)
    with time_machine.travel(datetime(2026, 9, 28, 10, 0, tzinfo=SHANGHAI), tick=False):
        rating = actions.rate_application(application=application, rating=levels(2))
    case = rating.rectification
    assert case.opened_on == date(2026, 9, 28)
    # 9-29, 9-30 | 国庆 10-1..10-7 | 10-8, 10-9, 10-10 (调休上班) | 10-12..16 | 10-19..23
    assert case.due_on == date(2026, 10, 23)


def test_the_rectification_period_follows_the_setting(item, settings):
    settings.SERVICES_RECTIFICATION_WORKING_DAYS = 5
    application = make_application(item=item, status=ApplicationStatus.APPROVED)
    with time_machine.travel(datetime(2026, 9, 28, 10, 0, tzinfo=SHANGHAI), tick=False):
        rating = actions.rate_application(application=application, rating=levels(1))
    assert rating.rectification.due_on == date(2026, 10, 10)  # a make-up working Saturday


# --------------------------------------------------------------------------- rectification


def test_a_supervisor_names_a_handler_of_the_body(cluster, item, django_capture_on_commit_callbacks):
    case = bad_case(item)
    with django_capture_on_commit_callbacks(execute=True):
        actions.assign_rectification_handler(case=case, actor=supervisor(cluster, "city"),
                                             handler=handler(cluster))
    case.refresh_from_db()
    assert case.handler == handler(cluster)
    assert case.entries.get().kind == RectificationEntryKind.ASSIGNED
    assert [handler(cluster).email] == mail.outbox[-1].to
    assert AuditEvent.objects.filter(action="services.rectification.handler_assigned").exists()


@pytest.mark.parametrize("who", [("health", Role.SERVICE_HANDLER),
                                 ("education", Role.SERVICE_SUPERVISOR),
                                 ("education", Role.SERVICE_ITEM_MANAGER),
                                 ("city", Role.SERVICE_HANDLER)])
def test_only_a_handler_of_the_rated_body_may_be_named(cluster, item, who):
    case = bad_case(item)
    with pytest.raises(ServicesRuleViolation) as error:
        actions.assign_rectification_handler(case=case, actor=supervisor(cluster),
                                             handler=cluster.user(*who))
    assert "办件人员" in str(error.value.errors["handler"][0])


@pytest.mark.parametrize("who", [("education", Role.SERVICE_HANDLER),
                                 ("health", Role.SERVICE_SUPERVISOR),
                                 ("dongcheng", Role.SERVICE_SUPERVISOR),
                                 ("city", Role.SYSTEM_ADMINISTRATOR),
                                 ("education", Role.SERVICE_ITEM_MANAGER)])
def test_only_a_supervisor_of_the_body_names_the_handler(cluster, item, who):
    case = bad_case(item)
    with pytest.raises(PermissionDenied):
        actions.assign_rectification_handler(case=case, actor=cluster.user(*who),
                                             handler=handler(cluster))


def test_the_named_handler_and_supervisors_record_entries(cluster, item):
    case = bad_case(item)
    actions.assign_rectification_handler(case=case, actor=supervisor(cluster),
                                         handler=handler(cluster))
    actions.record_rectification_entry(case=case, actor=handler(cluster),
                                       kind=RectificationEntryKind.FOLLOW_UP,
                                       note="电话回访申请人，了解情况。")
    actions.record_rectification_entry(case=case, actor=supervisor(cluster, "city"),
                                       kind=RectificationEntryKind.RECTIFICATION,
                                       note="对窗口人员进行服务规范培训。")
    assert list(case.entries.values_list("kind", flat=True)) == [
        "assigned", "follow_up", "rectification"]


def test_a_handler_who_is_not_named_may_not_record(cluster, item):
    case = bad_case(item)
    with pytest.raises(PermissionDenied):
        actions.record_rectification_entry(case=case, actor=handler(cluster),
                                           kind=RectificationEntryKind.FOLLOW_UP,
                                           note="电话回访申请人。")
    with pytest.raises(PermissionDenied):
        actions.record_rectification_entry(case=case, actor=handler(cluster, "health"),
                                           kind=RectificationEntryKind.FOLLOW_UP,
                                           note="电话回访申请人。")


@pytest.mark.parametrize(("kind", "note", "field"), [
    (RectificationEntryKind.ASSIGNED, "指定了某人", "kind"),
    (RectificationEntryKind.CLOSED, "已经办结了", "kind"),
    ("other", "已经办结了", "kind"),
    (RectificationEntryKind.FOLLOW_UP, "回访", "note"),
    (RectificationEntryKind.FOLLOW_UP, "   \n  ", "note"),
])
def test_an_entry_needs_a_kind_and_a_note_of_four_characters(cluster, item, kind, note, field):
    case = bad_case(item)
    with pytest.raises(ServicesRuleViolation) as error:
        actions.record_rectification_entry(case=case, actor=supervisor(cluster), kind=kind,
                                           note=note)
    assert list(error.value.errors) == [field]
    assert not case.entries.exists()


def _rectify(cluster, case):
    actions.record_rectification_entry(case=case, actor=supervisor(cluster),
                                       kind=RectificationEntryKind.FOLLOW_UP, note="电话回访申请人。")
    actions.record_rectification_entry(case=case, actor=supervisor(cluster),
                                       kind=RectificationEntryKind.RECTIFICATION,
                                       note="优化了窗口排队流程。")


def test_closing_needs_a_follow_up_and_a_rectification_entry(cluster, item):
    case = bad_case(item)
    actions.record_rectification_entry(case=case, actor=supervisor(cluster),
                                       kind=RectificationEntryKind.FOLLOW_UP, note="电话回访申请人。")
    with pytest.raises(ServicesRuleViolation) as error:
        actions.close_rectification_case(case=case, actor=supervisor(cluster),
                                         conclusion="已整改完毕。")
    assert "整改情况" in str(error.value.errors["__all__"][0])
    case.refresh_from_db()
    assert case.status == RectificationStatus.OPEN


def test_closing_needs_a_conclusion(cluster, item):
    case = bad_case(item)
    _rectify(cluster, case)
    with pytest.raises(ServicesRuleViolation) as error:
        actions.close_rectification_case(case=case, actor=supervisor(cluster), conclusion="好")
    assert "整改结果" in str(error.value.errors["conclusion"][0])


def test_a_case_closed_by_its_due_day_is_on_time(cluster, item):
    with time_machine.travel(datetime(2026, 9, 28, 10, 0, tzinfo=SHANGHAI), tick=False):
        case = bad_case(item)
        _rectify(cluster, case)
    with time_machine.travel(datetime(2026, 10, 23, 23, 0, tzinfo=SHANGHAI), tick=False):
        actions.close_rectification_case(case=case, actor=supervisor(cluster),
                                         conclusion="已向申请人致歉并整改。")
    case.refresh_from_db()
    assert case.status == RectificationStatus.CLOSED and not case.closed_late
    assert case.entries.last().kind == RectificationEntryKind.CLOSED


def test_a_case_closed_after_its_due_day_is_late(cluster, item):
    with time_machine.travel(datetime(2026, 9, 28, 10, 0, tzinfo=SHANGHAI), tick=False):
        case = bad_case(item)
        _rectify(cluster, case)
    with time_machine.travel(datetime(2026, 10, 24, 9, 0, tzinfo=SHANGHAI), tick=False):
        actions.close_rectification_case(case=case, actor=supervisor(cluster),
                                         conclusion="已向申请人致歉并整改。")
    case.refresh_from_db()
    assert case.closed_late


def test_a_closed_case_takes_no_more_changes(cluster, item):
    case = bad_case(item)
    _rectify(cluster, case)
    actions.close_rectification_case(case=case, actor=supervisor(cluster), conclusion="整改完毕。")
    for call in (
        lambda: actions.record_rectification_entry(case=case, actor=supervisor(cluster),
                                                   kind="follow_up", note="再次回访申请人。"),
        lambda: actions.close_rectification_case(case=case, actor=supervisor(cluster),
                                                 conclusion="再次办结。"),
        lambda: actions.assign_rectification_handler(case=case, actor=supervisor(cluster),
                                                     handler=handler(cluster)),
    ):
        with pytest.raises(ServicesRuleViolation):
            call()


def test_only_supervisors_close(cluster, item):
    case = bad_case(item)
    actions.assign_rectification_handler(case=case, actor=supervisor(cluster),
                                         handler=handler(cluster))
    _rectify(cluster, case)
    with pytest.raises(PermissionDenied):
        actions.close_rectification_case(case=case, actor=handler(cluster),
                                         conclusion="整改完毕。")


# --------------------------------------------------------------------------- appeals


def test_a_handler_appeals_and_a_supervisor_upholds_removing_the_rating(cluster, item):
    case = bad_case(item)
    appeal = actions.submit_rating_appeal(rating=case.rating, actor=handler(cluster),
                                          reason="申请人误将其他部门的事项评价给本单位。")
    assert appeal.status == AppealStatus.PENDING
    decided = actions.decide_rating_appeal(appeal=appeal, actor=supervisor(cluster, "city"),
                                           uphold=True, note="经核实属误评。")
    rating = ServiceRating.objects.get(pk=case.rating_id)
    case.refresh_from_db()
    assert decided.status == AppealStatus.UPHELD and decided.decided_by == supervisor(
        cluster, "city")
    assert rating.is_excluded and rating.excluded_at is not None
    assert case.status == RectificationStatus.CLOSED and "经核实属误评" in case.conclusion
    assert {"services.rating_appeal.submitted", "services.rating_appeal.decided"} <= set(
        AuditEvent.objects.values_list("action", flat=True))


def test_a_rejected_appeal_leaves_the_rating_and_case(cluster, item):
    case = bad_case(item)
    appeal = actions.submit_rating_appeal(rating=case.rating, actor=handler(cluster),
                                          reason="申请人误将其他部门的事项评价给本单位。")
    actions.decide_rating_appeal(appeal=appeal, actor=supervisor(cluster), uphold=False,
                                 note="评价属实，继续整改。")
    case.refresh_from_db()
    assert not ServiceRating.objects.get(pk=case.rating_id).is_excluded
    assert case.status == RectificationStatus.OPEN
    # Rejected, the body may appeal again with new facts.
    actions.submit_rating_appeal(rating=case.rating, actor=handler(cluster),
                                 reason="补充新的证据材料，证明属于恶意评价。")


def test_one_appeal_of_a_rating_is_pending_at_a_time(cluster, item):
    case = bad_case(item)
    actions.submit_rating_appeal(rating=case.rating, actor=handler(cluster),
                                 reason="申请人误将其他部门的事项评价给本单位。")
    with pytest.raises(ServicesRuleViolation) as error:
        actions.submit_rating_appeal(rating=case.rating, actor=supervisor(cluster),
                                     reason="再次申诉，理由同上，请尽快复核。")
    assert "待复核" in str(error.value.errors["__all__"][0])
    assert RatingAppeal.objects.count() == 1


def test_an_appeal_needs_a_reason_of_ten_characters(cluster, item):
    case = bad_case(item)
    with pytest.raises(ServicesRuleViolation) as error:
        actions.submit_rating_appeal(rating=case.rating, actor=handler(cluster), reason="恶意评价")
    assert "10" in str(error.value.errors["reason"][0])


@pytest.mark.parametrize("who", [("health", Role.SERVICE_HANDLER),
                                 ("city", Role.SERVICE_HANDLER),
                                 ("health", Role.SERVICE_SUPERVISOR),
                                 ("education", Role.SERVICE_ITEM_MANAGER),
                                 ("city", Role.SYSTEM_ADMINISTRATOR)])
def test_only_staff_of_the_rated_body_appeal(cluster, item, who):
    case = bad_case(item)
    with pytest.raises(PermissionDenied):
        actions.submit_rating_appeal(rating=case.rating, actor=cluster.user(*who),
                                     reason="申请人误将其他部门的事项评价给本单位。")


def test_an_excluded_rating_is_not_appealed_again(cluster, item):
    case = bad_case(item)
    appeal = actions.submit_rating_appeal(rating=case.rating, actor=handler(cluster),
                                          reason="申请人误将其他部门的事项评价给本单位。")
    actions.decide_rating_appeal(appeal=appeal, actor=supervisor(cluster), uphold=True,
                                 note="经核实属误评。")
    with pytest.raises(ServicesRuleViolation):
        actions.submit_rating_appeal(rating=case.rating, actor=handler(cluster),
                                     reason="申请人误将其他部门的事项评价给本单位。")


def test_the_appellant_never_decides_their_own_appeal(cluster, item):
    case = bad_case(item)
    appeal = actions.submit_rating_appeal(rating=case.rating, actor=supervisor(cluster),
                                          reason="申请人误将其他部门的事项评价给本单位。")
    with pytest.raises(ServicesRuleViolation) as error:
        actions.decide_rating_appeal(appeal=appeal, actor=supervisor(cluster), uphold=True,
                                     note="经核实属误评。")
    assert "申诉人" in str(error.value.errors["__all__"][0])
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.PENDING


@pytest.mark.parametrize("who", [("education", Role.SERVICE_HANDLER),
                                 ("health", Role.SERVICE_SUPERVISOR),
                                 ("dongcheng", Role.SERVICE_SUPERVISOR),
                                 ("city", Role.AUDITOR)])
def test_only_a_supervisor_above_the_body_decides(cluster, item, who):
    case = bad_case(item)
    appeal = actions.submit_rating_appeal(rating=case.rating, actor=handler(cluster),
                                          reason="申请人误将其他部门的事项评价给本单位。")
    with pytest.raises(PermissionDenied):
        actions.decide_rating_appeal(appeal=appeal, actor=cluster.user(*who), uphold=True,
                                     note="经核实属误评。")


def test_a_decided_appeal_is_not_decided_again_and_needs_a_note(cluster, item):
    case = bad_case(item)
    appeal = actions.submit_rating_appeal(rating=case.rating, actor=handler(cluster),
                                          reason="申请人误将其他部门的事项评价给本单位。")
    with pytest.raises(ServicesRuleViolation) as error:
        actions.decide_rating_appeal(appeal=appeal, actor=supervisor(cluster), uphold=True,
                                     note="")
    assert "复核意见" in str(error.value.errors["note"][0])
    actions.decide_rating_appeal(appeal=appeal, actor=supervisor(cluster), uphold=False,
                                 note="评价属实。")
    with pytest.raises(ServicesRuleViolation):
        actions.decide_rating_appeal(appeal=appeal, actor=supervisor(cluster, "city"),
                                     uphold=True, note="改判为误评。")


def test_a_statistics_export_is_audited_for_ratings_staff_only(cluster):
    actions.record_rating_statistics_export(actor=supervisor(cluster), year=2026,
                                            body=cluster.education)
    assert AuditEvent.objects.filter(action="services.rating_statistics.exported").exists()
    with pytest.raises(PermissionDenied):
        actions.record_rating_statistics_export(actor=cluster.user("city", Role.AUDITOR),
                                                year=2026, body=None)
