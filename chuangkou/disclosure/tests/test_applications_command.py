"""The daily deadline run: closings through actions, each reminder once."""

from datetime import date
from io import StringIO

import time_machine
from django.core.management import call_command

from chuangkou.disclosure import actions
from chuangkou.disclosure.choices import ApplicationStatus, ReminderKind, ResponseKind
from chuangkou.disclosure.models import DeadlineReminder, DisclosureApplication
from chuangkou.organizations.choices import Role

from .factories_applications import applicant_input, make_application

OFFICER, HEAD = Role.DISCLOSURE_OFFICER, Role.DISCLOSURE_OFFICE_HEAD


def run(day: str, capture=None) -> None:
    with time_machine.travel(f"{day} 06:30 +0800", tick=False):
        if capture is None:
            call_command("process_disclosure_deadlines", stdout=StringIO())
            return
        with capture(execute=True):  # mail goes out on commit
            call_command("process_disclosure_deadlines", stdout=StringIO())


def test_correction_expiry_closes_the_application_as_other_no_correction(cluster):
    officer = cluster.user("education", OFFICER)
    with time_machine.travel("2026-03-02 10:00 +0800", tick=False):
        application = make_application(cluster, received_on=date(2026, 3, 2))
        actions.request_correction(application=application, actor=officer, notice="请写明年份。")
    run("2026-03-23")  # the correction due day itself: still open
    assert DisclosureApplication.objects.get().status == ApplicationStatus.AWAITING_CORRECTION
    run("2026-03-24")
    application = DisclosureApplication.objects.get()
    assert application.status == ApplicationStatus.CLOSED
    assert application.response.kind == ResponseKind.OTHER_NO_CORRECTION
    assert application.response.responded_on == application.closed_on == date(2026, 3, 24)


def test_unpaid_fee_closes_the_application_as_other_unpaid_fee(cluster):
    officer = cluster.user("education", OFFICER)
    same_person = applicant_input(number="330102198503120017")
    with time_machine.travel("2026-03-02 10:00 +0800", tick=False):
        applications = [make_application(cluster, received_on=date(2026, 3, 2),
                                         applicant=same_person) for _ in range(11)]
        actions.issue_fee_notice(application=applications[-1], actor=officer)
    run("2026-03-31")
    charged = DisclosureApplication.objects.get(pk=applications[-1].pk)
    assert charged.status == ApplicationStatus.CLOSED
    assert charged.response.kind == ResponseKind.OTHER_UNPAID_FEE


def test_due_soon_goes_to_the_handler_and_overdue_to_the_office_head_once_each(
        cluster, mailoutbox, django_capture_on_commit_callbacks):
    officer, head = cluster.user("education", OFFICER), cluster.user("education", HEAD)
    with time_machine.travel("2026-03-02 10:00 +0800", tick=False):
        application = make_application(cluster, received_on=date(2026, 3, 2))
        actions.assign_handler(application=application, handler=officer, actor=officer)
    assert application.due_on == date(2026, 3, 30)
    run("2026-03-24", django_capture_on_commit_callbacks)
    assert not mailoutbox
    run("2026-03-25", django_capture_on_commit_callbacks)  # 3 working days before 30 March
    run("2026-03-26", django_capture_on_commit_callbacks)
    assert [message.to for message in mailoutbox] == [[officer.email]]
    run("2026-03-31", django_capture_on_commit_callbacks)
    run("2026-04-01", django_capture_on_commit_callbacks)
    assert [message.to for message in mailoutbox] == [[officer.email], [head.email]]
    assert set(DeadlineReminder.objects.values_list("kind", flat=True)) == {
        ReminderKind.DUE_SOON, ReminderKind.OVERDUE}
