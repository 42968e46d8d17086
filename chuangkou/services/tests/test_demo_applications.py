"""The 办件 demo: on the demo bodies, staff and catalogue it makes applications in each state
through the actions, a second run makes nothing, and every timeline tells a possible story."""

import dataclasses
from io import StringIO

import pytest

from chuangkou.core.validators import resident_id_problem

from ..choices import (
    ApplicationChannel,
    ApplicationEventKind,
    ApplicationStatus,
    PaymentStatus,
)
from ..demo import applications as demo_module
from ..demo.applications import DEMO_APPLICATIONS, DEMO_MARK, load_applications_demo
from ..demo.catalogue import load_catalogue_demo
from ..demo.people import ensure_bodies, ensure_service_accounts
from ..models import (
    ApplicantDetails,
    ApplicationEvent,
    ApplicationUpload,
    Payment,
    ServiceApplication,
)

pytestmark = pytest.mark.django_db

S = ApplicationStatus
K = ApplicationEventKind
# Which event may follow in which status, and the status it leaves the application in.
TRANSITIONS = {
    (S.SUBMITTED, K.PASSED_ON): S.SUBMITTED,
    (S.SUBMITTED, K.ACCEPTED): S.IN_PROGRESS,
    (S.SUBMITTED, K.REFUSED): S.REFUSED,
    (S.SUBMITTED, K.SUPPLEMENT_REQUESTED): S.SUPPLEMENT_REQUESTED,
    (S.IN_PROGRESS, K.SUPPLEMENT_REQUESTED): S.SUPPLEMENT_REQUESTED,
    (S.SUBMITTED, K.WITHDRAWN): S.WITHDRAWN,
    (S.IN_PROGRESS, K.WITHDRAWN): S.WITHDRAWN,
    (S.SUPPLEMENT_REQUESTED, K.WITHDRAWN): S.WITHDRAWN,
    (S.IN_PROGRESS, K.STEP_COMPLETED): S.IN_PROGRESS,
    (S.IN_PROGRESS, K.APPROVED): S.APPROVED,
    (S.IN_PROGRESS, K.DENIED): S.DENIED,
    (S.APPROVED, K.FEE_REQUESTED): S.APPROVED,
    (S.APPROVED, K.FEE_CONFIRMED): S.APPROVED,
    (S.APPROVED, K.DELIVERED): S.DELIVERED,
    (S.DENIED, K.DELIVERED): S.DELIVERED,
}

EXPECTED = {
    "submitted-transfer": (S.SUBMITTED, [K.SUBMITTED]),
    "submitted-residence": (S.SUBMITTED, [K.SUBMITTED]),
    "supplement": (S.SUPPLEMENT_REQUESTED, [K.SUBMITTED, K.SUPPLEMENT_REQUESTED]),
    "accepted": (S.IN_PROGRESS, [K.SUBMITTED, K.ACCEPTED]),
    "in-progress-step": (S.IN_PROGRESS, [K.SUBMITTED, K.ACCEPTED, K.STEP_COMPLETED]),
    "denied": (S.DENIED, [K.SUBMITTED, K.ACCEPTED, K.STEP_COMPLETED, K.DENIED]),
    "refused": (S.REFUSED, [K.SUBMITTED, K.REFUSED]),
    "withdrawn": (S.WITHDRAWN, [K.SUBMITTED, K.WITHDRAWN]),
    "proxy": (S.SUBMITTED, [K.SUBMITTED, K.PASSED_ON]),
}


def _load_demo_catalogue() -> None:
    bodies, _created = ensure_bodies()
    ensure_service_accounts(bodies)
    load_catalogue_demo()


def _demo_applications() -> dict[str, ServiceApplication]:
    applications = ServiceApplication.objects.filter(
        form_token__startswith=DEMO_MARK).select_related(
        "item", "item__implementing_body", "current_body", "submitting_body")
    return {application.form_token.removeprefix(DEMO_MARK): application
            for application in applications}


def _kinds(application: ServiceApplication) -> list[str]:
    return [event.kind for event in application.events.order_by("occurred_at", "pk")]


def _assert_timeline_consistent(application: ServiceApplication) -> None:
    events = list(application.events.order_by("occurred_at", "pk").select_related("step"))
    assert events and events[0].kind == K.SUBMITTED, application.number
    status = S.SUBMITTED
    steps = [event.step_id for event in events if event.kind == K.STEP_COMPLETED]
    assert len(steps) == len(set(steps)), "a step recorded twice"
    for event in events[1:]:
        assert (status, event.kind) in TRANSITIONS, (application.number, status, event.kind)
        status = TRANSITIONS[(status, event.kind)]
        assert event.occurred_at >= application.submitted_at
        if event.step_id is not None:
            assert event.step.item_id == application.item_id
    assert status == application.status, (application.number, status, application.status)
    if K.ACCEPTED in {event.kind for event in events}:
        assert application.accepted_on >= application.submitted_on
        assert application.due_on >= application.accepted_on
        assert application.promised_working_days == application.item.promised_time_limit_days
    else:
        assert application.accepted_on is None and application.due_on is None
    if application.status in (S.APPROVED, S.DENIED, S.DELIVERED):
        assert application.decided_on is not None and not application.decided_late
        assert application.decided_on >= application.accepted_on
    if application.status == S.DELIVERED:
        assert application.delivered_at is not None and application.delivery_method
    fees = Payment.objects.filter(application=application)
    assert fees.count() == sum(event.kind == K.FEE_REQUESTED for event in events)
    assert fees.filter(status=PaymentStatus.CONFIRMED).count() == sum(
        event.kind == K.FEE_CONFIRMED for event in events)


def test_the_demo_makes_applications_in_every_state_and_a_second_run_makes_nothing():
    _load_demo_catalogue()
    out = StringIO()
    summary = load_applications_demo(stdout=out)

    demo = _demo_applications()
    assert set(demo) == {spec.key for spec in DEMO_APPLICATIONS}
    assert ServiceApplication.objects.count() == len(DEMO_APPLICATIONS)
    for key, (status, kinds) in EXPECTED.items():
        assert demo[key].status == status, key
        assert _kinds(demo[key]) == kinds, key

    # Decided ones for the 好差评 demo: one approved waiting for its fee, five delivered.
    approved = demo["approved-fee"]
    assert approved.status == S.APPROVED and approved.item.charges_fee
    pending = Payment.objects.get(application=approved)
    assert pending.status == PaymentStatus.PENDING and pending.amount > 0
    assert _kinds(approved)[-2:] == [K.APPROVED, K.FEE_REQUESTED]
    paid = demo["delivered-fee"]
    assert paid.status == S.DELIVERED
    assert Payment.objects.get(application=paid).status == PaymentStatus.CONFIRMED
    delivered = [key for key, application in demo.items() if application.status == S.DELIVERED]
    assert len(delivered) == 5
    for key in delivered:
        application = demo[key]
        steps = set(application.item.steps.values_list("pk", flat=True))
        assert set(application.events.filter(kind=K.STEP_COMPLETED)
                   .values_list("step_id", flat=True)) == steps, key
        assert application.delivery_method in (application.item.delivery_methods
                                               or [application.delivery_method])

    # 代办: handed in at the community for the civil affairs bureau, passed on once.
    proxy = demo["proxy"]
    assert proxy.channel == ApplicationChannel.PROXY and proxy.user is None
    assert proxy.item.accepts_proxy
    assert proxy.item.implementing_body.slug == "dongcheng-minzheng"
    assert proxy.submitting_body.slug == "dongcheng-donghu-binhu"
    assert proxy.submitted_by.username == "binhu_service_handler"
    hops = list(proxy.hops.order_by("position").select_related("body"))
    assert [hop.body.slug for hop in hops] == [
        "dongcheng-donghu-binhu", "dongcheng-donghu", "dongcheng-minzheng"]
    assert [hop.passed_on_at is not None for hop in hops] == [True, False, False]
    assert proxy.current_body.slug == "dongcheng-donghu"

    supplement = demo["supplement"]
    assert supplement.supplement_requested_on and "一次性补正" in supplement.supplement_notice

    for application in demo.values():
        assert application.item.is_published and application.item.online_depth >= 3
        _assert_timeline_consistent(application)
        details = ApplicantDetails.objects.get(application=application)
        assert resident_id_problem(details.resident_id) is None
        assert details.email.endswith("@example.com")
        assert details.phone[:2] in ("13", "15", "18")
        required = set(application.item.materials.filter(upload_required=True)
                       .values_list("pk", flat=True))
        uploaded = set(application.uploads.values_list("material_id", flat=True))
        assert required and required <= uploaded, application.number
        assert set(application.answers) == set(
            application.item.form_fields.values_list("name", flat=True))
    assert all(upload.content_type == "application/pdf"
               for upload in ApplicationUpload.objects.all())

    assert f"新建办件 {len(DEMO_APPLICATIONS)} 件" in summary
    assert "跳过：已超期" in summary
    assert summary in out.getvalue() and "已超期" in out.getvalue()

    counts = (ServiceApplication.objects.count(), ApplicationEvent.objects.count(),
              Payment.objects.count(), ApplicationUpload.objects.count())
    statuses = {key: application.status for key, application in demo.items()}
    again = load_applications_demo()
    assert "新建办件 0 件，推进办理 0 步" in again
    assert (ServiceApplication.objects.count(), ApplicationEvent.objects.count(),
            Payment.objects.count(), ApplicationUpload.objects.count()) == counts
    assert {key: application.status for key, application in _demo_applications().items()
            } == statuses


def test_a_second_run_finishes_an_application_a_first_run_left_behind(monkeypatch):
    _load_demo_catalogue()
    spec = next(spec for spec in DEMO_APPLICATIONS if spec.key == "delivered-pension")
    # As if the first run had stopped after the acceptance.
    monkeypatch.setattr(demo_module, "DEMO_APPLICATIONS",
                        (dataclasses.replace(spec, flow=("accept",)),))
    load_applications_demo()
    assert _demo_applications()["delivered-pension"].status == S.IN_PROGRESS
    monkeypatch.setattr(demo_module, "DEMO_APPLICATIONS", (spec,))
    message = load_applications_demo()
    assert "新建办件 0 件" in message and "已有 1 件" in message
    application = _demo_applications()["delivered-pension"]
    assert application.status == S.DELIVERED
    _assert_timeline_consistent(application)
    assert _kinds(application).count(K.SUBMITTED) == 1
    assert _kinds(application).count(K.ACCEPTED) == 1


def test_without_the_demo_catalogue_every_state_is_skipped_with_a_message(cluster):
    out = StringIO()
    summary = load_applications_demo(stdout=out)
    assert not ServiceApplication.objects.exists()
    assert "新建办件 0 件" in summary
    text = out.getvalue()
    for spec in DEMO_APPLICATIONS:
        assert f"跳过“{spec.label}”示例" in text, spec.key
    assert "没有配有办件人员的社区" in text
