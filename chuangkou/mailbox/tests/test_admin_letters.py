"""Staff screens of 来信办理: the work lists, the detail, the audited look at the writer's
details, attachments, and every action through its form."""


import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from chuangkou.core.models import AuditEvent
from chuangkou.mailbox import actions
from chuangkou.mailbox.choices import LetterStatus, ReplyStatus
from chuangkou.mailbox.models import Letter, LetterReply
from chuangkou.organizations.choices import Role

from .factories import answer_letter, make_letter

pytestmark = pytest.mark.django_db

HANDLER, REVIEWER = Role.LETTER_HANDLER, Role.LETTER_REVIEWER
DISPATCHER, SUPERVISOR = Role.LETTER_DISPATCHER, Role.LETTER_SUPERVISOR
MONDAY = "2026-03-02 10:00 +0800"
PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00"
       b"\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7"
       b"\x9a\xa0\xa0\x00\x00\x00\x00IEND\xaeB`\x82")


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def detail_url(letter):
    return reverse("mailbox_letter_detail", args=[letter.number])


def action_url(letter, name):
    return reverse("mailbox_letter_action", args=[letter.number, name])


@pytest.fixture
def frozen():
    with time_machine.travel(MONDAY, tick=False) as traveller:
        yield traveller


@pytest.fixture
def letter(cluster, frozen):
    """A 咨询 letter written to the education bureau: routed there, due in 5 working days."""
    return make_letter(cluster=cluster, addressed_body=cluster.education,
                       title="和平路小学门口交通拥堵", writer_name="李秀英", phone="13800138000")


# --------------------------------------------------------------------------- lists


def test_handler_sees_own_bodys_open_letter_under_in_progress_with_days_left(cluster, letter):
    page = client_for(cluster.user("education", HANDLER)).get(
        reverse("mailbox_letters"), {"tab": "mine"}).content.decode()
    assert letter.number in page
    assert "2026-03-09" in page  # 5 working days after Monday 2 March
    assert "?tab=mine" in page and "?tab=dispatch" not in page  # no dispatch queue for them


def test_another_bodys_handler_never_sees_the_letter_in_any_tab(cluster, letter):
    client = client_for(cluster.user("health", HANDLER))
    for tab in ("mine", "review", "all"):
        assert letter.number not in client.get(reverse("mailbox_letters"),
                                               {"tab": tab}).content.decode()


def test_dispatch_queue_lists_unaddressed_and_held_letters_for_the_city_dispatcher(cluster,
                                                                                  frozen):
    waiting = make_letter(cluster=cluster, title="不知道该找哪个部门")
    page = client_for(cluster.user("city", DISPATCHER)).get(
        reverse("mailbox_letters"), {"tab": "dispatch"}).content.decode()
    assert waiting.number in page
    assert waiting.status == LetterStatus.AWAITING_DISPATCH
    education_page = client_for(cluster.user("education", DISPATCHER)).get(
        reverse("mailbox_letters"), {"tab": "dispatch"}).content.decode()
    assert waiting.number not in education_page


def test_overdue_letter_is_marked_red_and_in_words(cluster, letter):
    with time_machine.travel("2026-03-12 10:00 +0800", tick=False):
        page = client_for(cluster.user("education", HANDLER)).get(
            reverse("mailbox_letters"), {"tab": "mine"}).content.decode()
    assert 'class="mailbox-overdue"' in page
    assert "已超期 3 个工作日" in page  # due Mon 9 March; 10, 11, 12 March are past it


def test_overdue_filter_and_search_by_number_and_title(cluster, letter):
    other = make_letter(cluster=cluster, addressed_body=cluster.education, title="食堂卫生问题")
    client = client_for(cluster.user("education", HANDLER))
    url = reverse("mailbox_letters")
    page = client.get(url, {"tab": "all", "q": "食堂"}).content.decode()
    assert other.number in page and letter.number not in page
    page = client.get(url, {"tab": "all", "q": letter.number}).content.decode()
    assert letter.number in page and other.number not in page
    page = client.get(url, {"tab": "all", "overdue": "on"}).content.decode()
    assert letter.number not in page
    with time_machine.travel("2026-03-12 10:00 +0800", tick=False):
        client.force_login(cluster.user("education", HANDLER))  # sessions last 30 minutes
        page = client.get(url, {"tab": "all", "overdue": "on"}).content.decode()
    assert letter.number in page and other.number in page


def test_a_bad_filter_value_shows_everything_else_without_error(cluster, letter):
    response = client_for(cluster.user("education", HANDLER)).get(
        reverse("mailbox_letters"), {"tab": "all", "kind": "999999", "p": "abc"})
    assert response.status_code == 200


def test_supervisor_tab_lists_overdue_letters_of_every_body_below(cluster, letter, frozen):
    on_time = make_letter(cluster=cluster, addressed_body=cluster.health)
    frozen.move_to("2026-03-12 10:00 +0800")
    late = Letter.objects.get(pk=letter.pk)
    page = client_for(cluster.user("city", SUPERVISOR)).get(
        reverse("mailbox_letters"), {"tab": "supervise"}).content.decode()
    assert late.number in page
    assert on_time.number in page  # due 9 March too: both are overdue on 12 March
    frozen.move_to("2026-03-03 10:00 +0800")
    page = client_for(cluster.user("city", SUPERVISOR)).get(
        reverse("mailbox_letters"), {"tab": "supervise"}).content.decode()
    assert late.number not in page


def test_letter_list_uses_a_constant_number_of_queries(cluster, frozen,
                                                       django_assert_max_num_queries):
    client = client_for(cluster.user("city", SUPERVISOR))
    make_letter(cluster=cluster, addressed_body=cluster.education)
    client.get(reverse("mailbox_letters"), {"tab": "all"})
    with django_assert_max_num_queries(40) as few:
        client.get(reverse("mailbox_letters"), {"tab": "all"})
    for body in (cluster.health, cluster.district, cluster.education, cluster.health):
        make_letter(cluster=cluster, addressed_body=body)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("mailbox_letters"), {"tab": "all"})
    assert response.content.decode().count('href="/admin/mailbox/letters/XJ2026') == 5


def test_list_is_paginated(cluster, frozen, settings):
    from chuangkou.mailbox.admin_views import letters as views

    for _ in range(3):
        make_letter(cluster=cluster, addressed_body=cluster.education)
    client = client_for(cluster.user("education", HANDLER))
    original = views.PER_PAGE
    views.PER_PAGE = 2
    try:
        first = client.get(reverse("mailbox_letters"), {"tab": "all"}).content.decode()
        second = client.get(reverse("mailbox_letters"), {"tab": "all", "p": 2}).content.decode()
    finally:
        views.PER_PAGE = original
    link = 'href="/admin/mailbox/letters/XJ2026'
    assert first.count(link) == 2 and second.count(link) == 1
    assert "p=2" in first


# --------------------------------------------------------------------------- detail


def test_detail_shows_letter_and_timeline_but_not_the_writer(cluster, letter):
    page = client_for(cluster.user("education", HANDLER)).get(detail_url(letter)).content.decode()
    assert letter.title in page
    assert "按写信对象交办" in page  # the routing step's internal note
    assert "李秀英" not in page and "13800138000" not in page
    assert "查看写信人信息" in page


def test_detail_of_a_letter_outside_the_scope_is_404(cluster, letter):
    for who in (("health", HANDLER), ("health", DISPATCHER), ("dongcheng", SUPERVISOR)):
        assert client_for(cluster.user(*who)).get(detail_url(letter)).status_code == 404, who
    assert client_for(cluster.user("education", HANDLER)).get(
        reverse("mailbox_letter_detail", args=["XJ2026999999"])).status_code == 404


def test_revealing_the_writer_shows_details_and_is_audited(cluster, letter):
    client = client_for(cluster.user("education", HANDLER))
    assert client.get(reverse("mailbox_letter_writer", args=[letter.number])).status_code == 405
    response = client.post(reverse("mailbox_letter_writer", args=[letter.number]))
    page = response.content.decode()
    assert "李秀英" in page and "13800138000" in page
    assert "no-store" in response["Cache-Control"]
    event = AuditEvent.objects.get(action="mailbox.writer.viewed")
    assert event.actor_label == "education-letter_handler"


def test_supervisor_may_not_reveal_the_writer(cluster, letter):
    client = client_for(cluster.user("city", SUPERVISOR))
    assert "查看写信人信息</button>" not in client.get(detail_url(letter)).content.decode()
    response = client.post(reverse("mailbox_letter_writer", args=[letter.number]))
    assert response.status_code == 403
    assert not AuditEvent.objects.filter(action="mailbox.writer.viewed").exists()


def test_attachment_downloads_only_within_scope(cluster, frozen):
    upload = SimpleUploadedFile("现场照片.png", PNG, content_type="image/png")
    letter = make_letter(cluster=cluster, addressed_body=cluster.education, attachments=[upload])
    attachment = letter.attachments.get()
    url = reverse("mailbox_letter_attachment", args=[letter.number, attachment.pk])
    response = client_for(cluster.user("education", HANDLER)).get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PNG
    assert response["Content-Type"] == "image/png"
    assert "attachment" in response["Content-Disposition"]
    assert client_for(cluster.user("health", HANDLER)).get(url).status_code == 404
    other = make_letter(cluster=cluster, addressed_body=cluster.health)
    wrong_letter = reverse("mailbox_letter_attachment", args=[other.number, attachment.pk])
    assert client_for(cluster.user("health", HANDLER)).get(wrong_letter).status_code == 404


def forms_on_detail(client, letter) -> set[str]:
    from chuangkou.mailbox.admin_views.letters import ACTIONS

    page = client.get(detail_url(letter)).content.decode()
    return {name for name in ACTIONS if f'id="action-{name}"' in page}


def test_action_forms_show_only_to_who_may_use_them(cluster, letter):
    assert forms_on_detail(client_for(cluster.user("education", HANDLER)), letter) == {
        "return", "save_draft", "request_extension"}
    assert forms_on_detail(client_for(cluster.user("education", REVIEWER)), letter) == {
        "return", "save_draft", "request_extension"}
    assert forms_on_detail(client_for(cluster.user("education", DISPATCHER)), letter) == {
        "forward", "merge"}
    assert forms_on_detail(client_for(cluster.user("city", SUPERVISOR)), letter) == {"urge"}


def test_action_a_user_may_not_use_is_403_and_changes_nothing(cluster, letter):
    client = client_for(cluster.user("education", HANDLER))
    response = client.post(action_url(letter, "forward"),
                           {"body": cluster.health.pk, "reason": "不属于本单位职责"})
    assert response.status_code == 403
    assert Letter.objects.get(pk=letter.pk).assigned_body == cluster.education


def test_action_that_does_not_apply_in_this_state_redirects_with_a_message(cluster, letter):
    client = client_for(cluster.user("city", DISPATCHER))
    response = client.get(action_url(letter, "dispatch"))
    assert response.status_code == 302 and response.url == detail_url(letter)


def test_unknown_action_is_404(cluster, letter):
    client = client_for(cluster.user("education", HANDLER))
    assert client.get(action_url(letter, "explode")).status_code == 404


# --------------------------------------------------------------------------- actions


def test_dispatcher_dispatches_a_waiting_letter_through_the_form(cluster, frozen):
    letter = make_letter(cluster=cluster, title="不知道该找哪个部门")
    client = client_for(cluster.user("city", DISPATCHER))
    assert client.get(action_url(letter, "dispatch")).status_code == 200
    response = client.post(action_url(letter, "dispatch"),
                           {"body": cluster.health.pk, "note": "属卫健委职责"})
    assert response.status_code == 302 and response.url == detail_url(letter)
    letter.refresh_from_db()
    assert letter.status == LetterStatus.IN_PROGRESS and letter.assigned_body == cluster.health


def test_a_refused_action_shows_the_rule_on_the_field(cluster, letter):
    client = client_for(cluster.user("education", DISPATCHER))
    response = client.post(action_url(letter, "forward"), {"body": cluster.education.pk,
                                                            "reason": "转"})
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors  # a reason of one character, or the same body, is refused on the form
    assert Letter.objects.get(pk=letter.pk).events.filter(kind="forwarded").count() == 0


def test_forward_to_a_body_outside_the_dispatchers_scope_is_refused(cluster, letter):
    response = client_for(cluster.user("education", DISPATCHER)).post(
        action_url(letter, "forward"), {"body": cluster.health.pk, "reason": "不属于本单位职责"})
    assert response.status_code == 200
    assert "body" in response.context["form"].errors


def test_city_dispatcher_forwards_with_a_reason(cluster, letter):
    response = client_for(cluster.user("city", DISPATCHER)).post(
        action_url(letter, "forward"), {"body": cluster.health.pk, "reason": "属卫生健康职责"})
    assert response.status_code == 302
    assert Letter.objects.get(pk=letter.pk).assigned_body == cluster.health


def test_handler_returns_a_wrongly_dispatched_letter(cluster, letter):
    response = client_for(cluster.user("education", HANDLER)).post(
        action_url(letter, "return"), {"reason": "不属于教育局职责范围"})
    assert response.status_code == 302
    letter.refresh_from_db()
    assert letter.status == LetterStatus.AWAITING_DISPATCH and letter.assigned_body is None


def test_merge_names_the_letter_by_number_and_refuses_an_unknown_one(cluster, letter):
    into = make_letter(cluster=cluster, addressed_body=cluster.education)
    client = client_for(cluster.user("city", DISPATCHER))
    response = client.post(action_url(letter, "merge"), {"into": "XJ2026999999",
                                                          "reason": "重复来信"})
    assert response.status_code == 200
    assert "XJ2026999999" in str(response.context["form"].errors["into"])
    response = client.post(action_url(letter, "merge"), {"into": into.number.lower(),
                                                          "reason": "重复来信"})
    assert response.status_code == 302
    letter.refresh_from_db()
    assert letter.status == LetterStatus.MERGED and letter.merged_into == into


def test_held_letter_is_released_by_the_dispatcher(cluster, frozen):
    from chuangkou.publishing.actions import add_lexicon_entry

    add_lexicon_entry(term="示例违禁词")
    letter = make_letter(cluster=cluster, addressed_body=cluster.education,
                         content="内容里有示例违禁词需要审核")
    assert letter.status == LetterStatus.HELD
    client = client_for(cluster.user("city", DISPATCHER))
    assert forms_on_detail(client, letter) >= {"release", "refuse"}
    assert client.post(action_url(letter, "release")).status_code == 302
    assert Letter.objects.get(pk=letter.pk).status == LetterStatus.IN_PROGRESS


def test_reply_is_drafted_submitted_returned_and_approved_through_the_forms(cluster, letter):
    handler = client_for(cluster.user("education", HANDLER))
    reviewer = client_for(cluster.user("education", REVIEWER))
    assert handler.post(action_url(letter, "save_draft"),
                        {"text": "初稿：正在核实。"}).status_code == 302
    assert "初稿：正在核实。" in handler.get(detail_url(letter)).content.decode()
    assert handler.post(action_url(letter, "submit_reply"),
                        {"text": "您好，已协调交警部门加强疏导。"}).status_code == 302
    assert Letter.objects.get(pk=letter.pk).status == LetterStatus.IN_REVIEW
    assert forms_on_detail(reviewer, letter) >= {"approve_reply", "return_reply"}
    assert reviewer.post(action_url(letter, "return_reply"),
                         {"reasons": "请说明具体措施和时间"}).status_code == 302
    assert Letter.objects.get(pk=letter.pk).status == LetterStatus.IN_PROGRESS
    page = handler.get(detail_url(letter)).content.decode()
    assert "请说明具体措施和时间" in page  # the review note is shown to the handler
    handler.post(action_url(letter, "submit_reply"),
                 {"text": "您好，交警部门将于下月起在上下学时段派员疏导。"})
    assert reviewer.post(action_url(letter, "approve_reply")).status_code == 302
    letter.refresh_from_db()
    assert letter.status == LetterStatus.ANSWERED
    assert LetterReply.objects.get(letter=letter, status=ReplyStatus.APPROVED).text.startswith(
        "您好，交警部门")


def test_reviewer_may_not_approve_own_reply_and_sees_why(cluster, letter):
    reviewer = client_for(cluster.user("education", REVIEWER))
    reviewer.post(action_url(letter, "submit_reply"), {"text": "审核员自己写的答复内容。"})
    response = reviewer.post(action_url(letter, "approve_reply"))
    assert response.status_code == 200
    assert response.context["form"].errors
    assert Letter.objects.get(pk=letter.pk).status == LetterStatus.IN_REVIEW


def test_empty_reply_is_refused_on_the_field(cluster, letter):
    response = client_for(cluster.user("education", HANDLER)).post(
        action_url(letter, "submit_reply"), {"text": "   "})
    assert response.status_code == 200
    assert "text" in response.context["form"].errors


def test_extension_is_requested_and_decided_through_the_forms(cluster, letter):
    handler = client_for(cluster.user("education", HANDLER))
    assert handler.post(action_url(letter, "request_extension"),
                        {"working_days": "5", "reason": "需要实地调查核实"}).status_code == 302
    assert "request_extension" not in forms_on_detail(handler, letter)  # one pending at a time
    reviewer = client_for(cluster.user("education", REVIEWER))
    assert reviewer.post(action_url(letter, "decide_extension"),
                         {"approve": "True", "note": "同意"}).status_code == 302
    letter.refresh_from_db()
    assert letter.extension_working_days == 5
    assert str(letter.due_on) == "2026-03-16"


def test_urge_is_issued_and_answered(cluster, letter):
    supervisor = client_for(cluster.user("city", SUPERVISOR))
    assert supervisor.post(action_url(letter, "urge"),
                           {"note": "请加快办理并按期答复"}).status_code == 302
    urge = letter.urge_notes.get()
    supervise_tab = supervisor.get(reverse("mailbox_letters"), {"tab": "supervise"})
    assert letter.number in supervise_tab.content.decode()  # an unanswered urge note
    handler = client_for(cluster.user("education", HANDLER))
    assert "answer_urge" in forms_on_detail(handler, letter)
    assert handler.post(action_url(letter, "answer_urge"),
                        {"urge": urge.pk, "response": "已安排专人办理，本周答复"}).status_code == 302
    urge.refresh_from_db()
    assert urge.responded_at is not None
    supervise_tab = supervisor.get(reverse("mailbox_letters"), {"tab": "supervise"})
    assert letter.number not in supervise_tab.content.decode()


def test_publish_form_is_prefilled_with_masked_text_and_previews(cluster, frozen):
    letter = make_letter(cluster=cluster, addressed_body=cluster.education, writer_name="李秀英",
                         content="我叫李秀英，电话13800138000，家住和平路12号，孩子上学路上很拥堵。")
    answer_letter(letter, cluster)
    reviewer = client_for(cluster.user("education", REVIEWER))
    page = reviewer.get(action_url(letter, "publish")).content.decode()
    assert "公开预览" in page
    assert "13800138000" not in page and "李秀英" not in page
    response = reviewer.post(action_url(letter, "publish"), {
        "title": "学校门口交通", "content": "联系电话13912345678，请处理。",
        "reply": "已处理。", "preview": "1"})
    assert response.status_code == 200
    assert "13912345678" not in response.context["preview"]["content"]
    assert not Letter.objects.get(pk=letter.pk).is_published
    response = reviewer.post(action_url(letter, "publish"), {
        "title": "学校门口交通", "content": "联系电话13912345678，请处理。", "reply": "已处理。"})
    assert response.status_code == 302
    letter.refresh_from_db()
    assert letter.is_published and "13912345678" not in letter.published_content
    assert client_for(cluster.user("education", REVIEWER)).post(
        action_url(letter, "unpublish"), {"reason": "写信人要求撤回"}).status_code == 302
    assert not Letter.objects.get(pk=letter.pk).is_published


def test_letter_without_consent_offers_no_publish_form(cluster, frozen):
    letter = make_letter(cluster=cluster, addressed_body=cluster.education, may_publish=False)
    answer_letter(letter, cluster)
    reviewer = client_for(cluster.user("education", REVIEWER))
    assert "publish" not in forms_on_detail(reviewer, letter)
    assert reviewer.get(action_url(letter, "publish")).status_code == 302


def test_supervisor_closes_a_follow_up(cluster, letter):
    answer_letter(letter, cluster)
    actions.rate_letter(letter=Letter.objects.get(pk=letter.pk), level=1, comment="没有解决")
    supervisor = client_for(cluster.user("city", SUPERVISOR))
    assert letter.number in supervisor.get(reverse("mailbox_letters"),
                                           {"tab": "supervise"}).content.decode()
    assert "close_follow_up" in forms_on_detail(supervisor, letter)
    assert supervisor.post(action_url(letter, "close_follow_up"),
                           {"conclusion": "已电话回访，问题已解决"}).status_code == 302
    assert Letter.objects.get(pk=letter.pk).follow_up.status == "closed"


# --------------------------------------------------------------------------- home panel


def test_home_panel_counts_my_letters_due_soon_and_overdue(cluster, letter, frozen):
    make_letter(cluster=cluster, addressed_body=cluster.education)
    client = client_for(cluster.user("education", HANDLER))
    page = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "我的待办来信" in page
    assert "共 2 封来信待办，其中 0 封即将到期，0 封已超期" in page
    frozen.move_to("2026-03-05 10:00 +0800")
    client = client_for(cluster.user("education", HANDLER))  # sessions last 30 minutes
    page = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "共 2 封来信待办，其中 2 封即将到期，0 封已超期" in page
    frozen.move_to("2026-03-10 10:00 +0800")
    client = client_for(cluster.user("education", HANDLER))
    page = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "共 2 封来信待办，其中 0 封即将到期，2 封已超期" in page


def test_home_panel_is_not_shown_to_staff_without_letter_work(cluster, letter):
    page = client_for(cluster.user("education", Role.EDITOR)).get(
        reverse("wagtailadmin_home")).content.decode()
    assert "我的待办来信" not in page


def test_letters_menu_item_shows_only_to_letter_staff(cluster):
    from chuangkou.mailbox.queries import may_use_letters

    assert may_use_letters(cluster.user("education", HANDLER))
    assert may_use_letters(cluster.user("city", SUPERVISOR))
    assert not may_use_letters(cluster.user("city", Role.SYSTEM_ADMINISTRATOR))
    assert not may_use_letters(cluster.user("education", Role.EDITOR))


