"""What 依申请公开 gives citizen accounts: 我的依申请公开 on 我的主页 (status, the next deadline
and whether the applicant has to act), the applications in the download of their data,
anonymising on account closing, and pages only the applying citizen reaches (another citizen's
numbers and URLs give 404)."""

from datetime import date

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from chuangkou.accounts.homepage import (
    close_citizen_records,
    export_citizen_data,
    gather_homepage_sections,
)
from chuangkou.accounts.tests.factories import make_citizen
from chuangkou.core.models import AuditEvent
from chuangkou.disclosure import actions
from chuangkou.disclosure.choices import ApplicationStatus, ResponseKind
from chuangkou.disclosure.hooks.citizens import (
    anonymise_applications,
    applications_export,
    applications_section,
)
from chuangkou.disclosure.models import ApplicantDetails, DisclosureApplication
from chuangkou.organizations.choices import Role

from .factories_applications import applicant_input, make_online_application

OFFICER = Role.DISCLOSURE_OFFICER
MONDAY = "2026-03-02 10:00 +0800"


@pytest.fixture(autouse=True)
def _empty_rate_limits():
    cache.clear()
    yield
    cache.clear()


def fresh(user):
    return get_user_model().objects.get(pk=user.pk)


def applied(cluster, citizen, *, confirm=True, **applicant) -> DisclosureApplication:
    """An online application of ``citizen``, its receipt confirmed on Monday 2 March 2026."""
    with time_machine.travel(MONDAY, tick=False):
        application, _code = make_online_application(
            cluster, user=citizen.user, applicant=applicant_input(**applicant))
        if confirm:
            application = actions.confirm_application_receipt(
                application=application, actor=cluster.user("education", OFFICER))
    return application


def section_of(user):
    return next(section for section in gather_homepage_sections(user=user)
                if section.key == "disclosure.applications")


# --- 我的主页 ------------------------------------------------------------------------------------


def test_my_applications_show_the_reply_deadline_and_what_i_must_do_first(cluster):
    citizen = make_citizen()
    running = applied(cluster, citizen)
    to_correct = applied(cluster, citizen)
    with time_machine.travel("2026-03-04 10:00 +0800", tick=False):
        actions.request_correction(application=to_correct,
                                   actor=cluster.user("education", OFFICER),
                                   notice="请写明所需信息的文号或形成时间。")
    waiting = applied(cluster, citizen, confirm=False)
    section = section_of(citizen.user)
    assert section.title == "我的依申请公开"
    assert section.more_url == reverse("disclosure:my_applications")
    first, second, third = section.items
    assert first.number == to_correct.number and first.needs_action
    assert str(first.deadline_label) == "补正期限" and str(first.action_label) == "请补正申请"
    assert first.next_deadline == DisclosureApplication.objects.get(
        pk=to_correct.pk).correction_due_on
    assert {second.number, third.number} == {running.number, waiting.number}
    by_number = {item.number: item for item in (second, third)}
    assert by_number[running.number].next_deadline == date(2026, 3, 30)
    assert str(by_number[running.number].deadline_label) == "答复期限"
    assert by_number[waiting.number].next_deadline is None  # the clock has not started
    assert first.url == reverse("disclosure:my_application", args=[to_correct.number])


def test_a_fee_to_pay_asks_for_action_with_its_deadline(cluster):
    citizen = make_citizen()
    officer = cluster.user("education", OFFICER)
    same = applicant_input()
    with time_machine.travel(MONDAY, tick=False):
        for _ in range(10):
            make_online_application(cluster, applicant=same)
        application, _code = make_online_application(cluster, user=citizen.user,
                                                      applicant=same)
        for pending in DisclosureApplication.objects.order_by("pk"):
            actions.confirm_application_receipt(application=pending, actor=officer)
        actions.issue_fee_notice(application=application, actor=officer)
    (item,) = section_of(citizen.user).items
    assert item.needs_action and str(item.deadline_label) == "缴费期限"
    assert item.next_deadline == DisclosureApplication.objects.get(
        pk=application.pk).fee_due_on


def test_another_citizen_s_applications_never_show(cluster):
    citizen = make_citizen()
    applied(cluster, make_citizen())
    make_online_application(cluster)
    assert section_of(citizen.user).items == []


def test_staff_and_visitors_get_no_applications_section(cluster):
    assert applications_section(user=cluster.user("education", OFFICER)) == []
    assert applications_section(user=AnonymousUser()) == []


def test_the_section_costs_the_same_queries_for_one_application_or_many(
        cluster, django_assert_num_queries):
    citizen = make_citizen()
    applied(cluster, citizen)
    user = fresh(citizen.user)
    with django_assert_num_queries(2):  # the account, the applications with their bodies
        applications_section(user=user)
    for _ in range(5):
        applied(cluster, citizen, confirm=False)
    user = fresh(citizen.user)
    with django_assert_num_queries(2):
        (section,) = applications_section(user=user)
    assert len(section.items) == 5


# --- Download of my data -------------------------------------------------------------------------


def test_export_holds_my_details_request_response_and_visible_steps_only(cluster):
    citizen = make_citizen()
    application = applied(cluster, citizen, name="李红", email="li.hong@example.com")
    officer = cluster.user("education", OFFICER)
    with time_machine.travel("2026-03-05 10:00 +0800", tick=False):
        actions.assign_handler(application=application, handler=officer, actor=officer)
        actions.answer_application(
            application=application, actor=officer, kind=ResponseKind.DISCLOSED,
            letter_text="申请人：经审查，您申请的信息予以公开。",
            attachments=[SimpleUploadedFile("招生计划.pdf", b"%PDF-1.7 plan")])
    applied(cluster, make_citizen(), name="别人")
    (exported,) = export_citizen_data(user=citizen.user)["政府信息公开申请"]
    assert exported["申请编号"] == application.number
    assert exported["申请人信息"]["姓名或名称"] == "李红"
    assert exported["申请人信息"]["电子邮箱"] == "li.hong@example.com"
    assert exported["所需信息的内容描述"] == application.information_description
    assert exported["答复"]["答复类型"] == "予以公开"
    assert exported["答复"]["附件"] == ["招生计划.pdf"]
    steps = [step["事项"] for step in exported["办理过程"]]
    assert "确认收到申请" in steps and "分派承办人" not in steps


def test_export_reads_a_constant_number_of_queries(cluster, django_assert_max_num_queries):
    citizen = make_citizen()
    for _ in range(3):
        applied(cluster, citizen)
    with django_assert_max_num_queries(4):
        data = applications_export(user=citizen.user)
    assert len(data["政府信息公开申请"]) == 3


# --- Closing the account -------------------------------------------------------------------------


def test_closing_removes_the_applicant_s_details_and_keeps_the_application_and_timeline(
        cluster):
    citizen = make_citizen()
    application = applied(cluster, citizen, name="王建国", phone="13905710123",
                          email="wang@example.com", address="示例市东城区解放路88号")
    other = applied(cluster, make_citizen(), name="赵丽")
    key_before = application.applicant_key
    assert close_citizen_records(user=citizen.user) >= 1  # every app's closer runs

    application = DisclosureApplication.objects.select_related("applicant").get(
        pk=application.pk)
    details = application.applicant
    assert application.user is None and application.status == ApplicationStatus.PROCESSING
    assert application.number and application.due_on == date(2026, 3, 30)
    assert (details.name, details.identity_document_number, details.phone, details.email,
            details.address, details.postcode) == ("已注销用户", "", "", "", "", "")
    assert application.applicant_key != key_before
    assert application.events.count() == 2
    assert ApplicantDetails.objects.get(application=other).name == "赵丽"
    assert AuditEvent.objects.filter(action="disclosure.applicant.anonymised",
                                     target_id=str(application.pk)).exists()
    assert anonymise_applications(user=citizen.user) == 0


# --- Only the applying citizen reaches their applications -------------------------------------


def test_my_applications_send_visitors_to_sign_in_and_refuse_staff(client, cluster):
    for url in (reverse("disclosure:my_applications"),
                reverse("disclosure:my_application", args=["YSQ2026-EDUCATION-00001"])):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("accounts:sign_in"))
    staff = Client()
    staff.force_login(cluster.user("education", OFFICER))
    assert staff.get(reverse("disclosure:my_applications")).status_code == 403


def test_another_citizen_trying_my_numbers_and_urls_gets_404(client, cluster):
    citizen, other = make_citizen(), make_citizen()
    application = applied(cluster, citizen)
    officer = cluster.user("education", OFFICER)
    with time_machine.travel("2026-03-05 10:00 +0800", tick=False):
        response = actions.answer_application(
            application=application, actor=officer, kind=ResponseKind.DISCLOSED,
            letter_text="申请人：经审查，您申请的信息予以公开。",
            attachments=[SimpleUploadedFile("招生计划.pdf", b"%PDF-1.7 plan")])
    urls = [reverse("disclosure:my_application", args=[application.number]),
            reverse("disclosure:my_application", args=[application.number.lower()]),
            reverse("disclosure:application_receipt", args=[application.number]),
            reverse("disclosure:application_attachment", args=[response.attachments.get().pk])]
    client.force_login(other.user)
    for url in urls:
        assert client.get(url).status_code == 404, url
    assert application.number not in client.get(
        reverse("disclosure:my_applications")).content.decode()
    owner = Client()
    owner.force_login(citizen.user)
    for url in urls:
        assert owner.get(url).status_code == 200, url
    assert application.number in owner.get(
        reverse("disclosure:my_applications")).content.decode()


def test_my_applications_page_costs_the_same_queries_for_one_application_or_many(
        client, cluster, django_assert_max_num_queries):
    citizen = make_citizen()
    applied(cluster, citizen)
    client.force_login(citizen.user)
    with django_assert_max_num_queries(10) as one:
        client.get(reverse("disclosure:my_applications"))
    for _ in range(3):
        applied(cluster, citizen)
    with django_assert_max_num_queries(len(one.captured_queries)):
        page = client.get(reverse("disclosure:my_applications")).content.decode()
    assert page.count("答复期限 2026-03-30") == 4
