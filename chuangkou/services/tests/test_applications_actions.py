"""The application actions: every transition and every refusal, the clocks on the shared
calendar (National Day 2026), proxy hand-in through the levels, fees, identity levels."""

import hashlib
from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from chuangkou.core.audit import AuditEvent
from chuangkou.core.calendar import add_working_days, working_calendar
from chuangkou.organizations.choices import Role

from .. import actions, webhooks
from ..choices import (
    ApplicationChannel,
    ApplicationEventKind,
    ApplicationStatus,
    Audience,
    DeliveryMethod,
    OnlineDepth,
    PaymentStatus,
    RequiredIdentity,
)
from ..exceptions import ApplicationRefused, ServicesRuleViolation
from ..models import ApplicationEvent, BackOfficeSystem, ServiceApplication, ServiceStep
from ..queries.applications import applicant_identity_level, applicant_timeline
from ..rules import acceptance_due_on
from .factories import FEE, make_item
from .test_applications_support import (
    GOOD_ANSWERS,
    applicant,
    make_proxy_chain,
    pdf,
    required_material,
    submit,
)

pytestmark = pytest.mark.django_db

H = Role.SERVICE_HANDLER


@pytest.fixture
def item(cluster):
    return make_item(body=cluster.education, promised_days=5)


@pytest.fixture
def handler(cluster):
    return cluster.user("education", H)


@pytest.fixture
def notified(monkeypatch):
    calls = []
    monkeypatch.setattr(webhooks, "notify_back_offices",
                        lambda *, application, event_kind: calls.append(
                            (application.number, str(event_kind))))
    return calls


def _accepted(item, handler):
    application, _code = submit(item)
    return actions.accept_application(application=application, actor=handler)


def _approved(item, handler):
    application = _accepted(item, handler)
    return actions.decide_application(application=application, actor=handler, approve=True,
                                      note="符合条件。")


def _system(body, *, name="教育业务系统", active=True):
    digest = hashlib.sha256(f"{body.pk}-{name}".encode()).hexdigest()
    return BackOfficeSystem.objects.create(name=name, body=body, key_prefix="ck_test",
                                           key_digest=digest, webhook_secret="s" * 32,
                                           is_active=active)


# --- Submission ------------------------------------------------------------------------------


def test_submission_numbers_stores_details_and_starts_the_acceptance_clock(
        item, notified, mailoutbox, django_capture_on_commit_callbacks):
    with (time_machine.travel("2026-09-29 10:00 +0800", tick=False),
          django_capture_on_commit_callbacks(execute=True)):
        application, code = submit(item, form_token="token-1")
    assert application.number == "BJ2026000001"
    assert len(code) == 8
    assert application.status == ApplicationStatus.SUBMITTED
    assert application.current_body == item.implementing_body
    assert application.channel == ApplicationChannel.WEBSITE
    assert application.answers == GOOD_ANSWERS
    assert application.applicant.phone == "13912345678"
    assert application.acceptance_due_on == acceptance_due_on(date(2026, 9, 29),
                                                              calendar=working_calendar())
    assert application.acceptance_due_on > date(2026, 10, 8)  # National Day is skipped
    upload = application.uploads.get()
    assert upload.material == required_material(item)
    assert upload.content_type == "application/pdf"
    assert not application.hops.exists()
    assert notified == [(application.number, "submitted")]
    assert AuditEvent.objects.filter(action="services.application.submitted").exists()
    assert [message.to for message in mailoutbox] == [["li.jianhua@example.com"]]
    assert code in mailoutbox[0].body and application.number in mailoutbox[0].body


def test_repeated_form_token_returns_the_first_application_without_a_code(item):
    first, code = submit(item, form_token="same-token")
    again, second_code = submit(item, form_token="same-token")
    assert again.pk == first.pk and code and second_code is None
    assert ServiceApplication.objects.count() == 1


def test_unpublished_item_is_refused(cluster):
    item = make_item(body=cluster.education, published=False)
    with pytest.raises(ApplicationRefused) as error:
        submit(item)
    assert "未公开" in error.value.errors["__all__"][0]


def test_item_below_depth_three_cannot_be_applied_for_online(cluster):
    item = make_item(body=cluster.education, online_depth=OnlineDepth.FORMS)
    with pytest.raises(ApplicationRefused) as error:
        submit(item)
    assert "不能网上申请" in error.value.errors["__all__"][0]


def test_identity_level_of_anonymous_and_signed_in_users(cluster):
    from django.contrib.auth.models import AnonymousUser

    assert applicant_identity_level(AnonymousUser()) == RequiredIdentity.NONE
    assert applicant_identity_level(None) == RequiredIdentity.NONE
    assert applicant_identity_level(cluster.user("city", H)) == RequiredIdentity.ACCOUNT


def test_item_needing_an_account_refuses_anonymous_and_accepts_a_signed_in_user(cluster):
    item = make_item(body=cluster.education, required_identity=RequiredIdentity.ACCOUNT)
    with pytest.raises(ApplicationRefused) as error:
        submit(item)
    assert "注册账号" in error.value.errors["__all__"][0]
    citizen = cluster.user("health", Role.EDITOR)
    application, _code = submit(item, user=citizen)
    assert application.user == citizen


def test_item_needing_real_name_refuses_an_account_only_user(cluster):
    item = make_item(body=cluster.education, required_identity=RequiredIdentity.REAL_NAME)
    with pytest.raises(ApplicationRefused) as error:
        submit(item, user=cluster.user("health", Role.EDITOR))
    assert "实名认证" in error.value.errors["__all__"][0]


@pytest.mark.parametrize(("overrides", "field", "fragment"), [
    ({"name": "  "}, "name", "请填写申请人姓名"),
    ({"phone": "12345"}, "phone", "11位"),
    ({"phone": ""}, "phone", "请填写手机号码"),
    ({"resident_id": "110105194912310021"}, "resident_id", "校验位"),
    ({"email": "not-an-email"}, "email", "电子邮箱"),
    ({"kind": Audience.ENTERPRISE}, "kind", "申请人类型不符"),
])
def test_applicant_details_are_validated(item, overrides, field, fragment):
    with pytest.raises(ApplicationRefused) as error:
        submit(item, applicant=applicant(**overrides))
    assert fragment in " ".join(error.value.errors[field])


def test_enterprise_applicant_needs_a_name_and_a_valid_credit_code(cluster):
    item = make_item(body=cluster.education, audience=Audience.ENTERPRISE)
    with pytest.raises(ApplicationRefused) as error:
        submit(item, applicant=applicant(kind=Audience.ENTERPRISE, credit_code="91330100ABC"))
    assert "单位名称" in error.value.errors["enterprise_name"][0]
    assert "GB 32100" in error.value.errors["credit_code"][0]


def test_real_name_item_requires_the_resident_id_of_a_person(cluster):
    item = make_item(body=cluster.education, required_identity=RequiredIdentity.NONE,
                     accepts_proxy=True)
    item.required_identity = RequiredIdentity.REAL_NAME
    item.save()
    chain = make_proxy_chain(cluster)
    bureau_item = make_item(body=chain.bureau, accepts_proxy=True,
                            required_identity=RequiredIdentity.REAL_NAME)
    with pytest.raises(ApplicationRefused) as error:
        submit(bureau_item, applicant=applicant(resident_id=""),
               proxy_actor=chain.community_handler, proxy_body=chain.community)
    assert "实名" in error.value.errors["resident_id"][0]


def test_answers_are_rechecked_against_the_online_form(item):
    with pytest.raises(ApplicationRefused) as error:
        submit(item, answers={"student_name": "", "grade": "九年级"})
    assert error.value.errors["answer_student_name"] == ["请填写学生姓名。"]
    assert "请从列出的选项中选择年级" in error.value.errors["answer_grade"][0]


def test_required_upload_missing_is_refused(item):
    with pytest.raises(ApplicationRefused) as error:
        submit(item, uploads={})
    field = f"material_{required_material(item).pk}"
    assert "请上传“转学申请表”的电子件" in error.value.errors[field][0]


def test_upload_checked_by_content_and_count(item):
    material = required_material(item)
    fake = SimpleUploadedFile("表.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    with pytest.raises(ApplicationRefused) as error:
        submit(item, uploads={material.pk: [fake]})
    assert "不是允许的格式" in error.value.errors[f"material_{material.pk}"][0]
    with pytest.raises(ApplicationRefused) as error:
        submit(item, uploads={material.pk: [pdf(f"{n}.pdf") for n in range(6)]})
    assert "最多上传5个文件" in error.value.errors[f"material_{material.pk}"][0]
    assert not ServiceApplication.objects.exists()


# --- Acceptance and the decision clock -------------------------------------------------------


def test_acceptance_across_national_day_is_due_on_october_12(item, handler, notified):
    # The State Council's 2026 notice (as chinesecalendar ships it): 1–7 October off, Saturday
    # 10 October worked. Five working days from 29 September: 30 Sep, 8, 9, 10 and 12 Oct.
    with time_machine.travel("2026-09-29 09:00 +0800", tick=False):
        application, _code = submit(item)
        application = actions.accept_application(application=application, actor=handler,
                                                 note="材料齐全")
    assert application.status == ApplicationStatus.IN_PROGRESS
    assert application.accepted_on == date(2026, 9, 29)
    assert application.promised_working_days == 5
    assert application.due_on == date(2026, 10, 12)
    assert application.handler == handler
    event = application.events.get(kind=ApplicationEventKind.ACCEPTED)
    assert "2026-10-12" in event.public_note and event.internal_note == "材料齐全"
    assert notified[-1] == (application.number, "accepted")


def test_only_a_handler_of_the_current_body_may_accept(cluster, item):
    application, _code = submit(item)
    for user in (cluster.user("health", H), cluster.user("education", Role.SERVICE_SUPERVISOR),
                 cluster.user("education", Role.SERVICE_ITEM_MANAGER), None):
        with pytest.raises(PermissionDenied):
            actions.accept_application(application=application, actor=user)


def test_accepting_twice_is_refused_with_the_status(item, handler):
    application = _accepted(item, handler)
    with pytest.raises(ServicesRuleViolation) as error:
        actions.accept_application(application=application, actor=handler)
    assert "办理中" in error.value.errors["__all__"][0]


def test_refusal_needs_a_reason_and_only_before_acceptance(item, handler, mailoutbox,
                                                           django_capture_on_commit_callbacks):
    application, _code = submit(item)
    with pytest.raises(ServicesRuleViolation) as error:
        actions.refuse_application(application=application, actor=handler, reason="不行")
    assert "至少4个字" in error.value.errors["reason"][0]
    with django_capture_on_commit_callbacks(execute=True):
        refused = actions.refuse_application(application=application, actor=handler,
                                             reason="不属于本机关职权范围。")
    assert refused.status == ApplicationStatus.REFUSED
    assert "不属于本机关职权范围" in mailoutbox[-1].body
    accepted = _accepted(item, handler)
    with pytest.raises(ServicesRuleViolation):
        actions.refuse_application(application=accepted, actor=handler, reason="不属于本机关职权范围。")


def test_instant_item_is_due_and_decided_on_the_day_of_acceptance(cluster, handler):
    item = make_item(body=cluster.education, promised_days=0)
    with time_machine.travel("2026-09-29 09:00 +0800", tick=False):
        application = _accepted(item, handler)
        assert application.due_on == date(2026, 9, 29)
        decided = actions.decide_application(application=application, actor=handler,
                                             approve=True, note="")
    assert decided.status == ApplicationStatus.APPROVED and not decided.decided_late


def test_decision_after_the_due_day_is_flagged_late(item, handler):
    with time_machine.travel("2026-09-29 09:00 +0800", tick=False):
        application = _accepted(item, handler)
    with time_machine.travel("2026-10-12 16:00 +0800", tick=False):
        on_time = actions.decide_application(application=application, actor=handler,
                                             approve=True, note="")
    assert not on_time.decided_late
    with time_machine.travel("2026-09-29 09:00 +0800", tick=False):
        late = _accepted(application.item, handler)
    with time_machine.travel("2026-10-13 09:00 +0800", tick=False):
        decided = actions.decide_application(application=late, actor=handler,
                                             approve=True, note="")
    assert decided.decided_on == date(2026, 10, 13) and decided.decided_late


def test_denial_needs_a_reason(item, handler):
    application = _accepted(item, handler)
    with pytest.raises(ServicesRuleViolation) as error:
        actions.decide_application(application=application, actor=handler, approve=False,
                                   note="")
    assert "不予办理的理由" in error.value.errors["note"][0]
    denied = actions.decide_application(application=application, actor=handler,
                                        approve=False, note="申请人不符合条件。")
    assert denied.status == ApplicationStatus.DENIED


def test_decision_only_while_in_progress(item, handler):
    application, _code = submit(item)
    with pytest.raises(ServicesRuleViolation):
        actions.decide_application(application=application, actor=handler, approve=True,
                                   note="")


# --- Supplements -----------------------------------------------------------------------------


def test_supplement_before_acceptance_returns_to_submitted_with_a_fresh_acceptance_clock(
        item, handler):
    with time_machine.travel("2026-09-14 09:00 +0800", tick=False):
        application, _code = submit(item)
        application = actions.request_supplement(application=application, actor=handler,
                                                 notice="请补充户口簿复印件。")
    assert application.status == ApplicationStatus.SUPPLEMENT_REQUESTED
    with time_machine.travel("2026-09-17 09:00 +0800", tick=False):
        application = actions.submit_supplement(application=application, uploads=[pdf()],
                                                note="已补充")
    assert application.status == ApplicationStatus.SUBMITTED
    assert application.acceptance_due_on == acceptance_due_on(date(2026, 9, 17),
                                                              calendar=working_calendar())
    assert application.uploads.filter(is_supplement=True).count() == 1


def test_supplement_during_handling_pauses_the_clock(item, handler):
    with time_machine.travel("2026-09-14 09:00 +0800", tick=False):
        application = _accepted(item, handler)
        original_due = application.due_on
    with time_machine.travel("2026-09-15 09:00 +0800", tick=False):
        application = actions.request_supplement(application=application, actor=handler,
                                                 notice="请补充学籍证明。")
    with time_machine.travel("2026-09-17 09:00 +0800", tick=False):
        application = actions.submit_supplement(application=application, uploads=[],
                                                note="学籍证明已由学校寄出。")
    assert application.status == ApplicationStatus.IN_PROGRESS
    assert application.paused_working_days == 2
    assert application.due_on == add_working_days(date(2026, 9, 14), 7,
                                                  calendar=working_calendar())
    assert application.due_on > original_due


def test_supplement_notice_and_content_are_required(item, handler, cluster):
    application, _code = submit(item, user=cluster.user("health", Role.EDITOR))
    with pytest.raises(ServicesRuleViolation) as error:
        actions.request_supplement(application=application, actor=handler, notice="补")
    assert "补正告知内容" in error.value.errors["notice"][0]
    actions.request_supplement(application=application, actor=handler, notice="请补充材料。")
    with pytest.raises(ServicesRuleViolation) as error:
        actions.submit_supplement(application=application, uploads=[], note="")
    assert "请上传补正材料或填写补正说明" in error.value.errors["uploads"][0]
    with pytest.raises(PermissionDenied):
        actions.submit_supplement(application=application, uploads=[pdf()],
                                  user=cluster.user("city", Role.EDITOR))


# --- Steps -----------------------------------------------------------------------------------


def test_steps_are_recorded_once_and_only_the_items_own(cluster, item, handler):
    application = _accepted(item, handler)
    step = item.steps.get(name="审查")
    actions.complete_application_step(application=application, actor=handler, step=step,
                                      note="内部意见")
    event = application.events.get(kind=ApplicationEventKind.STEP_COMPLETED)
    assert event.step == step and event.internal_note == "内部意见"
    with pytest.raises(ServicesRuleViolation) as error:
        actions.complete_application_step(application=application, actor=handler, step=step)
    assert "已经办理过" in error.value.errors["step"][0]
    other = make_item(body=cluster.education)
    with pytest.raises(ServicesRuleViolation) as error:
        actions.complete_application_step(application=application, actor=handler,
                                          step=ServiceStep.objects.filter(item=other).first())
    assert "不属于本事项" in error.value.errors["step"][0]


def test_applicant_timeline_hides_internal_events_notes(item, handler):
    application = _accepted(item, handler)
    ApplicationEvent.objects.create(application=application, kind=ApplicationEventKind.BACK_OFFICE,
                                    occurred_at=application.submitted_at,
                                    internal_note="秘密", visible_to_applicant=False)
    kinds = [event.kind for event in applicant_timeline(application)]
    assert kinds == [ApplicationEventKind.SUBMITTED, ApplicationEventKind.ACCEPTED]


# --- Fees and delivery -----------------------------------------------------------------------


def test_fee_flow_request_confirm_deliver(cluster, handler, notified):
    item = make_item(body=cluster.education, charges_fee=True,
                     delivery_methods=[DeliveryMethod.COLLECT])
    application = _approved(item, handler)
    payment = actions.request_payment(application=application, actor=handler, amount=FEE)
    assert payment.status == PaymentStatus.PENDING and payment.provider == "offline"
    assert application.number in payment.instructions
    with pytest.raises(ServicesRuleViolation) as error:
        actions.request_payment(application=application, actor=handler, amount=FEE)
    assert "待缴费用" in error.value.errors["amount"][0]
    with pytest.raises(ServicesRuleViolation) as error:
        actions.deliver_result(application=application, actor=handler,
                               method=DeliveryMethod.COLLECT)
    assert "待缴费用" in error.value.errors["__all__"][0]
    with pytest.raises(ServicesRuleViolation) as error:
        actions.confirm_payment(payment=payment, actor=handler, reference="  ")
    assert "票据号" in error.value.errors["reference"][0]
    payment = actions.confirm_payment(payment=payment, actor=handler, reference="No.0012345")
    assert payment.status == PaymentStatus.CONFIRMED and payment.confirmed_by == handler
    with pytest.raises(ServicesRuleViolation):
        actions.confirm_payment(payment=payment, actor=handler, reference="No.0012345")
    with pytest.raises(ServicesRuleViolation) as error:
        actions.deliver_result(application=application, actor=handler,
                               method=DeliveryMethod.POST)
    assert "窗口领取" in error.value.errors["method"][0]
    delivered = actions.deliver_result(application=application, actor=handler,
                                       method=DeliveryMethod.COLLECT, note="已领取")
    assert delivered.status == ApplicationStatus.DELIVERED
    assert {kind for _number, kind in notified} >= {"fee_requested", "fee_confirmed",
                                                     "delivered"}


def test_fee_refused_for_free_items_and_before_approval(cluster, item, handler):
    application = _approved(item, handler)
    with pytest.raises(ServicesRuleViolation) as error:
        actions.request_payment(application=application, actor=handler, amount=FEE)
    assert "不收费" in error.value.errors["amount"][0]
    paying = make_item(body=cluster.education, charges_fee=True)
    accepted = _accepted(paying, handler)
    with pytest.raises(ServicesRuleViolation):
        actions.request_payment(application=accepted, actor=handler, amount=FEE)
    approved = _approved(paying, handler)
    with pytest.raises(ServicesRuleViolation) as error:
        actions.request_payment(application=approved, actor=handler, amount=Decimal("0"))
    assert "大于0" in error.value.errors["amount"][0]
    with pytest.raises(ServicesRuleViolation) as error:
        actions.request_payment(application=approved, actor=handler, amount=FEE,
                                provider="alipay")
    assert "未配置" in error.value.errors["provider"][0]


def test_delivery_with_any_method_when_the_item_names_none(item, handler):
    application = _approved(item, handler)
    delivered = actions.deliver_result(application=application, actor=handler,
                                       method=DeliveryMethod.ONLINE)
    assert delivered.delivery_method == DeliveryMethod.ONLINE
    with pytest.raises(ServicesRuleViolation):
        actions.deliver_result(application=delivered, actor=handler,
                               method=DeliveryMethod.ONLINE)


# --- Withdrawal ------------------------------------------------------------------------------


def test_applicant_withdraws_before_the_decision_only(cluster, item, handler):
    citizen = cluster.user("health", Role.EDITOR)
    application, _code = submit(item, user=citizen)
    with pytest.raises(PermissionDenied):
        actions.withdraw_application(application=application, user=cluster.user("city", H))
    withdrawn = actions.withdraw_application(application=application, user=citizen,
                                             reason="不再需要")
    assert withdrawn.status == ApplicationStatus.WITHDRAWN
    decided = _approved(item, handler)
    with pytest.raises(ServicesRuleViolation):
        actions.withdraw_application(application=decided)


# --- Proxy hand-in ---------------------------------------------------------------------------


def test_proxy_route_community_to_street_to_bureau_with_pass_on_permissions(cluster, notified):
    chain = make_proxy_chain(cluster)
    item = make_item(body=chain.bureau, accepts_proxy=True)
    application, code = submit(item, proxy_actor=chain.community_handler,
                               proxy_body=chain.community, user=cluster.user("city", H))
    assert code and application.channel == ApplicationChannel.PROXY
    assert application.user is None
    assert application.submitted_by == chain.community_handler
    assert application.submitting_body == chain.community
    assert [hop.body for hop in application.hops.order_by("position")] == [
        chain.community, chain.street, chain.bureau]
    assert application.current_body == chain.community
    with pytest.raises(PermissionDenied):
        actions.accept_application(application=application, actor=chain.bureau_handler)
    with pytest.raises(PermissionDenied):
        actions.pass_on_application(application=application, actor=chain.street_handler)
    application = actions.pass_on_application(application=application,
                                              actor=chain.community_handler, note="材料已核")
    assert application.current_body == chain.street
    event = application.events.get(kind=ApplicationEventKind.PASSED_ON)
    assert event.public_note == "已由东湖社区居民委员会转报至东湖街道办事处。"
    with pytest.raises(ServicesRuleViolation) as error:
        actions.accept_application(application=application, actor=chain.street_handler)
    assert "实施机关" in error.value.errors["__all__"][0]
    application = actions.pass_on_application(application=application,
                                              actor=chain.street_handler)
    assert application.current_body == chain.bureau
    hop = application.hops.get(position=1)
    assert hop.passed_on_by == chain.community_handler and hop.note == "材料已核"
    with pytest.raises(ServicesRuleViolation) as error:
        actions.pass_on_application(application=application, actor=chain.bureau_handler)
    assert "无需转报" in error.value.errors["__all__"][0]
    accepted = actions.accept_application(application=application, actor=chain.bureau_handler)
    assert accepted.status == ApplicationStatus.IN_PROGRESS
    assert [kind for _n, kind in notified] == ["submitted", "passed_on", "passed_on",
                                              "accepted"]


def test_proxy_needs_a_handler_of_the_proxy_body_and_an_item_accepting_proxy(cluster):
    chain = make_proxy_chain(cluster)
    item = make_item(body=chain.bureau, accepts_proxy=False)
    with pytest.raises(ApplicationRefused) as error:
        submit(item, proxy_actor=chain.community_handler, proxy_body=chain.community)
    assert "不可代办" in error.value.errors["__all__"][0]
    proxied = make_item(body=chain.bureau, accepts_proxy=True)
    with pytest.raises(PermissionDenied):
        submit(proxied, proxy_actor=chain.street_handler, proxy_body=chain.community)


def test_proxy_at_the_implementing_body_itself_has_one_hop(cluster):
    chain = make_proxy_chain(cluster)
    item = make_item(body=chain.bureau, accepts_proxy=True)
    application, _code = submit(item, proxy_actor=chain.bureau_handler, proxy_body=chain.bureau)
    assert [hop.body for hop in application.hops.all()] == [chain.bureau]
    assert application.current_body == chain.bureau


# --- Back-office systems and personal data ---------------------------------------------------


def test_back_office_system_of_the_current_body_may_act(cluster, item):
    application, _code = submit(item)
    with pytest.raises(PermissionDenied):
        actions.accept_application(application=application, actor=None,
                                   via_system=_system(cluster.health))
    with pytest.raises(PermissionDenied):
        actions.accept_application(application=application, actor=None,
                                   via_system=_system(cluster.education, name="停用",
                                                      active=False))
    system = _system(cluster.education)
    accepted = actions.accept_application(application=application, actor=None,
                                          via_system=system)
    assert accepted.status == ApplicationStatus.IN_PROGRESS and accepted.handler is None
    event = accepted.events.get(kind=ApplicationEventKind.ACCEPTED)
    assert "教育业务系统" in event.internal_note
    audit = AuditEvent.objects.filter(action="services.application.accepted").latest("pk")
    assert audit.data["system"]["name"] == "教育业务系统"


def test_viewing_applicant_details_is_audited_and_limited(cluster, item, handler):
    application, _code = submit(item)
    details = actions.record_applicant_details_viewed(application=application, actor=handler)
    assert details.name == "李建华"
    assert AuditEvent.objects.filter(action="services.application.applicant_viewed",
                                     actor=handler).count() == 1
    with pytest.raises(PermissionDenied):
        actions.record_applicant_details_viewed(application=application,
                                                actor=cluster.user("health", H))
    supervisor = cluster.user("city", Role.SERVICE_SUPERVISOR)
    assert actions.record_applicant_details_viewed(application=application,
                                                   actor=supervisor).pk == details.pk
