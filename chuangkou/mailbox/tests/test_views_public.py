"""The public mailbox pages (政民互动): write, receipt, query, the writer's letter page and its
rating, my letters, published letters and statistics — with every error named, nothing cached,
personal data masked and no letter reachable by changing a number in a URL."""

import re

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from chuangkou.accounts.tests.factories import make_citizen
from chuangkou.mailbox import actions
from chuangkou.mailbox.choices import LetterStatus
from chuangkou.mailbox.models import Letter, LetterAttachment, LetterRating, WriterDetails
from chuangkou.organizations.choices import Role

from .factories import answer_letter, make_letter, make_letter_with_code
from .public_helpers import QUERY, WRITE, clear_rate_limits, form_data


@pytest.fixture(autouse=True)
def _empty_rate_limits():
    clear_rate_limits()
    yield
    clear_rate_limits()


def page_of(response) -> str:
    return response.content.decode()


def code_on(page: str) -> str:
    return re.search(r'class="query-code">([2-9A-Z]{8})<', page).group(1)


def letter_url(letter: Letter) -> str:
    return reverse("mailbox:letter", args=[letter.number])


def assert_never_stored(response) -> None:
    cache_control = response["Cache-Control"]
    assert "private" in cache_control and "no-store" in cache_control, cache_control


def assert_kept_out_of_the_page_cache(response) -> None:
    assert "private" in response["Cache-Control"], response["Cache-Control"]


# --- Landing ---------------------------------------------------------------------------------


def test_landing_lists_kinds_with_time_limits_and_the_bodies_to_write_to(client, cluster):
    response = client.get(reverse("mailbox:landing"))
    page = page_of(response)
    assert response.status_code == 200
    assert "咨询" in page and "5个工作日内" in page and "投诉" in page and "15个工作日内" in page
    for url in ("/hudong/write/", "/hudong/query/", "/hudong/published/", "/hudong/statistics/"):
        assert f'href="{url}' in page
    assert page.index(cluster.city.name) < page.index(cluster.education.name)
    assert "/hudong/write/?body=education" in page
    assert_kept_out_of_the_page_cache(response)


# --- Write -----------------------------------------------------------------------------------


def test_the_form_states_limits_preselects_a_body_and_hides_the_honeypot(client, cluster):
    response = client.get(WRITE + "?body=education")
    page = page_of(response)
    assert response.status_code == 200
    assert_never_stored(response)
    assert "csrfmiddlewaretoken" in page
    assert f'<option value="{cluster.education.pk}" selected>' in page
    assert "不确定" in page
    assert "5000个字" in page and "10 MB" in page and "PDF、JPG、PNG" in page
    assert "不会公开" in page
    honeypot = re.search(r'<div class="mailbox-offscreen" aria-hidden="true">(.*?)</div>', page,
                         re.S).group(1)
    assert "请勿填写" in honeypot and 'tabindex="-1"' in honeypot and 'name="homepage"' in honeypot
    assert re.search(r"验证问题：[一二三四五六七八九十]+[加减][一二三四五六七八九十]+等于几？", page)
    assert 'name="form_token" value="' in page and 'name="bot_token" value="' in page


def test_the_write_form_is_protected_against_cross_site_posts(cluster):
    response = Client(enforce_csrf_checks=True).post(WRITE, form_data())
    assert response.status_code == 403 and not Letter.objects.exists()


def test_a_page_with_errors_says_so_in_its_title(client, cluster):
    page = page_of(client.post(WRITE, form_data(title="")))
    assert re.search(r"<title>错误：我要写信", page)


def test_an_unknown_body_in_the_query_preselects_nothing(client, cluster):
    response = client.get(WRITE + "?body=nowhere")
    assert response.status_code == 200
    assert '<option value="" selected>不确定' in page_of(response)


def test_writing_a_letter_shows_the_number_and_code_once(client, cluster):
    response = client.post(WRITE, form_data(addressed_body=cluster.education))
    letter = Letter.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("mailbox:receipt", args=[letter.number])
    receipt = client.get(response["Location"])
    page = page_of(receipt)
    assert_never_stored(receipt)
    assert letter.number in page and "只显示这一次" in page
    code = code_on(page)
    assert letter.query_code_digest and code not in letter.query_code_digest
    again = page_of(client.get(response["Location"]))
    assert letter.number in again and "只显示这一次" not in again and code not in again
    writer = WriterDetails.objects.get(letter=letter)
    assert (writer.name, writer.phone) == ("王小明", "13912345678")
    assert letter.addressed_body == cluster.education and letter.may_publish


def test_the_receipt_is_refused_to_anyone_without_the_session_grant(client, cluster):
    client.post(WRITE, form_data())
    letter = Letter.objects.get()
    url = reverse("mailbox:receipt", args=[letter.number])
    assert Client().get(url).status_code == 404
    assert Client().get(reverse("mailbox:receipt", args=["XJ2099000001"])).status_code == 404


def test_not_sure_leaves_the_letter_unaddressed(client, cluster):
    client.post(WRITE, form_data(addressed_body=None))
    assert Letter.objects.get().addressed_body is None


def test_the_same_form_token_sent_five_times_creates_one_letter(client, cluster):
    data = form_data(form_token="same-token-12345")
    responses = [client.post(WRITE, data) for _ in range(5)]
    assert [response.status_code for response in responses] == [302] * 5
    assert Letter.objects.count() == 1
    assert len({response["Location"] for response in responses}) == 1


def test_a_signed_in_citizen_s_letter_is_linked_to_the_account(client, cluster,
                                                               django_user_model):
    citizen = django_user_model.objects.create_user("citizen-li", password="x" * 12)
    client.force_login(citizen)
    client.post(WRITE, form_data())
    assert Letter.objects.get().user == citizen


@pytest.mark.parametrize(("field", "value", "message"), [
    ("title", "", "请填写标题"),
    ("title", "长" * 101, "不能超过100个字"),
    ("content", "", "请填写来信内容"),
    ("content", "短", "至少写5个字"),
    ("content", "长" * 5001, "不能超过5000个字"),
    ("phone", "12345", "手机号码"),
    ("email", "not-an-email", "格式不正确"),
    ("name", "   ", "请填写您的姓名"),
    ("kind", "", "请选择一种信件类型"),
    ("kind", "99999", "请从列出的类型中选择"),
    ("addressed_body", "99999", "请从列表中选择"),
])
def test_every_invalid_field_gets_its_own_message_linked_from_the_summary(
        client, cluster, field, value, message):
    response = client.post(WRITE, form_data(**{field: value}))
    page = page_of(response)
    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors[field])
    assert f'id="id_{field}-errors"' in page
    anchor = f"id_{field}_0" if field == "kind" else f"id_{field}"
    summary = re.search(r'<div class="error-summary".*?</div>', page, re.S).group(0)
    assert f'href="#{anchor}"' in summary and message in summary
    label = str(response.context["form"].fields[field].label).removesuffix("（选填）")
    assert f"{label}：" in summary
    assert 'aria-invalid="true"' in page and f"id_{field}-errors" in page
    assert not Letter.objects.exists()


def test_a_letter_without_phone_or_email_is_refused_naming_the_contact_fields(client, cluster):
    response = client.post(WRITE, form_data(phone="", email=""))
    assert response.status_code == 400
    assert "至少填写一项" in " ".join(response.context["form"].errors["phone"])
    assert not Letter.objects.exists()


def test_what_was_typed_stays_in_the_form_after_an_error_but_the_question_changes(client,
                                                                                 cluster):
    data = form_data(title="")
    response = client.post(WRITE, data)
    page = page_of(response)
    assert data["content"] in page and 'value="王小明"' in page
    assert f'name="form_token" value="{data["form_token"]}"' in page
    assert f'name="bot_token" value="{data["bot_token"]}"' not in page
    answer_input = re.search(r'<input[^>]*name="bot_answer"[^>]*>', page).group(0)
    assert "value=" not in answer_input


def test_an_attachment_is_checked_by_its_content_not_its_name(client, cluster):
    fake = SimpleUploadedFile("photo.jpg", b"MZ\x90\x00 an executable", content_type="image/jpeg")
    response = client.post(WRITE, {**form_data(), "attachments": [fake]})
    assert response.status_code == 400
    assert "photo.jpg" in " ".join(response.context["form"].errors["attachments"])
    assert not Letter.objects.exists()


def test_a_real_pdf_attachment_is_kept_with_the_letter(client, cluster):
    pdf = SimpleUploadedFile("scan.pdf", b"%PDF-1.7 a scanned notice", content_type="text/plain")
    response = client.post(WRITE, {**form_data(), "attachments": [pdf]})
    assert response.status_code == 302
    attachment = LetterAttachment.objects.get()
    assert attachment.original_name == "scan.pdf" and attachment.content_type == "application/pdf"


def test_attachments_are_handed_out_only_to_the_writer(client, cluster):
    pdf = SimpleUploadedFile("scan.pdf", b"%PDF-1.7 a scanned notice")
    client.post(WRITE, {**form_data(), "attachments": [pdf]})
    letter = Letter.objects.get()
    item = LetterAttachment.objects.get()
    url = reverse("mailbox:attachment", args=[letter.number, item.pk])
    assert url in page_of(client.get(letter_url(letter)))
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert_never_stored(response)
    assert Client().get(url).status_code == 404
    other, other_code = make_letter_with_code(title="另一封信")
    stranger = Client()
    stranger.post(QUERY, {"number": other.number, "code": other_code})
    assert stranger.get(url).status_code == 404
    crossed = reverse("mailbox:attachment", args=[other.number, item.pk])
    assert stranger.get(crossed).status_code == 404


def test_more_than_five_attachments_are_refused(client, cluster):
    files = [SimpleUploadedFile(f"p{index}.pdf", b"%PDF-1.7 x") for index in range(6)]
    response = client.post(WRITE, {**form_data(), "attachments": files})
    assert response.status_code == 400
    assert "最多上传5个文件" in " ".join(response.context["form"].errors["attachments"])


# --- Bot check -------------------------------------------------------------------------------


def test_a_form_sent_within_three_seconds_is_refused_with_a_clear_message(client, cluster):
    response = client.post(WRITE, form_data(seconds_ago=1))
    assert response.status_code == 400
    assert "不足3秒" in page_of(response) and not Letter.objects.exists()


def test_a_form_older_than_two_hours_is_refused_and_can_be_sent_again(client, cluster):
    data = form_data(seconds_ago=3 * 3600)
    response = client.post(WRITE, data)
    assert response.status_code == 400 and "超过2小时" in page_of(response)
    assert not Letter.objects.exists()


def test_a_filled_honeypot_is_refused_without_a_link_to_the_hidden_field(client, cluster):
    response = client.post(WRITE, form_data(homepage="http://spam.example/"))
    page = page_of(response)
    assert response.status_code == 400 and "请勿填写" in page
    assert 'href="#id_homepage"' not in page
    assert not Letter.objects.exists()


@pytest.mark.parametrize("answer", ["", "100"])
def test_a_wrong_or_missing_answer_is_refused_on_the_question(client, cluster, answer):
    response = client.post(WRITE, form_data(bot_answer=answer))
    assert response.status_code == 400
    assert response.context["form"].errors["bot_answer"]
    assert 'href="#id_bot_answer"' in page_of(response)
    assert not Letter.objects.exists()


def test_the_text_question_can_be_switched_off(client, cluster, settings):
    settings.MAILBOX_TEXT_QUESTION = False
    assert "验证问题" not in page_of(client.get(WRITE))
    data = form_data()
    assert data["bot_answer"] == ""
    assert client.post(WRITE, data).status_code == 302


def test_a_token_from_another_form_is_refused(client, cluster):
    first, second = form_data(), form_data()
    response = client.post(WRITE, {**second, "bot_token": first["bot_token"]})
    assert response.status_code == 400 and not Letter.objects.exists()


# --- Rate limits -----------------------------------------------------------------------------


def test_writing_is_limited_per_address(client, cluster, settings):
    settings.MAILBOX_LETTERS_PER_HOUR_PER_ADDRESS = 2
    assert [client.post(WRITE, form_data()).status_code for _ in range(2)] == [302, 302]
    response = client.post(WRITE, form_data())
    assert response.status_code == 429 and "提交过于频繁" in page_of(response)
    assert 'name="title"' in page_of(response)
    assert Letter.objects.count() == 2
    other_address = Client(REMOTE_ADDR="10.1.2.3")
    assert other_address.post(WRITE, form_data()).status_code == 302


def test_writing_is_limited_per_account_whatever_the_address(cluster, settings,
                                                             django_user_model):
    settings.MAILBOX_LETTERS_PER_HOUR_PER_ACCOUNT = 2
    citizen = django_user_model.objects.create_user("citizen-zhao", password="x" * 12)
    statuses = []
    for index in range(3):
        client = Client(REMOTE_ADDR=f"10.0.0.{index + 1}")
        client.force_login(citizen)
        statuses.append(client.post(WRITE, form_data()).status_code)
    assert statuses == [302, 302, 429]


def test_the_default_limits_are_ten_per_address_and_five_per_account(client, cluster):
    from chuangkou.mailbox.views import public

    assert public.LETTERS_PER_HOUR_PER_ADDRESS == 10
    assert public.LETTERS_PER_HOUR_PER_ACCOUNT == 5
    assert public.LOOKUPS_PER_HOUR_PER_ADDRESS == 30


# --- Query and the writer's letter page -------------------------------------------------------


def test_query_grants_the_letter_and_shows_status_timeline_masked(client, cluster):
    letter, code = make_letter_with_code(name="王小明", phone="13912345678")
    response = client.post(QUERY, {"number": letter.number.lower(), "code": code.lower()})
    assert response.status_code == 302 and response["Location"] == letter_url(letter)
    page_response = client.get(letter_url(letter))
    page = page_of(page_response)
    assert_never_stored(page_response)
    assert letter.title in page and letter.get_status_display() in page
    assert "提交" in page  # the SUBMITTED step of the timeline
    assert "王**" in page and "王小明" not in page and "13912345678" not in page
    assert "wang.xiaoming@example.com" not in page


@pytest.mark.parametrize("wrong", ["number", "code", "both"])
def test_a_wrong_pair_gets_one_generic_message(client, cluster, wrong):
    letter, code = make_letter_with_code()
    number = "XJ2099999999" if wrong in ("number", "both") else letter.number
    given = "AAAAAAAA" if wrong in ("code", "both") else code
    response = client.post(QUERY, {"number": number, "code": given})
    assert response.status_code == 400
    assert "信件编号或查询码不正确" in page_of(response)
    assert client.get(letter_url(letter)).status_code == 404


def test_lookups_are_limited_to_thirty_an_hour_per_address(client, cluster):
    letter, code = make_letter_with_code()
    for _ in range(30):
        client.post(QUERY, {"number": letter.number, "code": "AAAAAAAA"})
    response = client.post(QUERY, {"number": letter.number, "code": code})
    assert response.status_code == 429 and "查询过于频繁" in page_of(response)


def test_an_empty_query_names_both_fields(client, cluster):
    response = client.post(QUERY, {"number": "", "code": ""})
    page = page_of(response)
    assert response.status_code == 400
    assert 'href="#id_number"' in page and 'href="#id_code"' in page


def test_a_letter_page_without_a_grant_is_404_whether_or_not_the_number_exists(client, cluster):
    letter = make_letter(cluster=cluster)
    assert client.get(letter_url(letter)).status_code == 404
    assert client.get(reverse("mailbox:letter", args=["XJ2099000999"])).status_code == 404


def test_another_letter_s_number_with_the_first_code_or_session_gets_404(client, cluster):
    first, first_code = make_letter_with_code()
    second, _second_code = make_letter_with_code(title="另一封信", name="李四")
    response = client.post(QUERY, {"number": second.number, "code": first_code})
    assert response.status_code == 400
    client.post(QUERY, {"number": first.number, "code": first_code})
    assert client.get(letter_url(first)).status_code == 200
    assert client.get(letter_url(second)).status_code == 404
    rate = client.post(reverse("mailbox:rate", args=[second.number]), {"level": "1"})
    assert rate.status_code == 404
    assert client.get(reverse("mailbox:receipt", args=[second.number])).status_code == 404
    assert not LetterRating.objects.exists()


def test_a_signed_in_writer_sees_their_letter_but_not_another_citizen_s(
        client, cluster, django_user_model):
    owner = django_user_model.objects.create_user("citizen-a", password="x" * 12)
    other = django_user_model.objects.create_user("citizen-b", password="x" * 12)
    letter = make_letter(cluster=cluster, user=owner)
    client.force_login(other)
    assert client.get(letter_url(letter)).status_code == 404
    client.force_login(owner)
    assert client.get(letter_url(letter)).status_code == 200


def test_staff_do_not_see_letters_on_the_public_page(client, cluster):
    letter = make_letter(cluster=cluster, assign_to=cluster.education)
    client.force_login(cluster.user("education", Role.LETTER_HANDLER))
    assert client.get(letter_url(letter)).status_code == 404


def test_html_in_a_letter_is_shown_escaped(client, cluster):
    client.post(WRITE, form_data(title="<script>alert(1)</script>路灯",
                                 content="<b>加粗</b><script>alert(2)</script>请修路灯"))
    letter = Letter.objects.get()
    assert letter.title.startswith("<script>")
    receipt = page_of(client.get(reverse("mailbox:receipt", args=[letter.number])))
    page = page_of(client.get(letter_url(letter)))
    for html in (receipt, page):
        assert "<script>alert" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;b&gt;加粗&lt;/b&gt;" in page


# --- Reply and rating --------------------------------------------------------------------------


def answered_with_code(cluster, **kwargs):
    letter, code = make_letter_with_code(addressed_body=cluster.education, **kwargs)
    if letter.status == LetterStatus.AWAITING_DISPATCH:
        letter = actions.dispatch_letter(letter=letter, body=cluster.education,
                                         actor=cluster.user("city", Role.LETTER_DISPATCHER))
    assert letter.assigned_body_id == cluster.education.pk
    return answer_letter(letter, cluster), code


def granted_client(letter: Letter, code: str) -> Client:
    client = Client()
    assert client.post(QUERY, {"number": letter.number, "code": code}).status_code == 302
    return client


def test_the_answered_letter_shows_the_reply_and_a_rating_form(cluster):
    letter, code = answered_with_code(cluster)
    client = granted_client(letter, code)
    page = page_of(client.get(letter_url(letter)))
    assert letter.status == LetterStatus.ANSWERED
    assert "增设临时停车点" in page and cluster.education.name in page
    assert 'name="level"' in page and "非常满意" in page and "非常不满意" in page
    assert page.index("非常满意") < page.index("非常不满意")


def test_the_writer_of_a_merged_duplicate_sees_the_reply_of_the_letter_it_joined(cluster):
    first = make_letter(cluster=cluster, addressed_body=cluster.education,
                        assign_to=cluster.education)
    duplicate, code = make_letter_with_code(addressed_body=cluster.education, name="李四")
    actions.merge_letters(duplicate=duplicate, into=first, reason="反映同一事项",
                          actor=cluster.user("city", Role.LETTER_DISPATCHER))
    answer_letter(first, cluster)
    page = page_of(granted_client(duplicate, code).get(letter_url(duplicate)))
    assert "合并办理" in page and "增设临时停车点" in page
    assert first.number not in page
    assert "<dd>李*</dd>" in page and "李四" not in page


def test_an_unanswered_letter_has_no_rating_form(client, cluster):
    letter, code = make_letter_with_code()
    client = granted_client(letter, code)
    assert 'name="level"' not in page_of(client.get(letter_url(letter)))


def test_rating_an_answered_letter_once(cluster):
    letter, code = answered_with_code(cluster)
    client = granted_client(letter, code)
    response = client.post(reverse("mailbox:rate", args=[letter.number]),
                           {"level": "5", "comment": "答复及时"})
    assert response.status_code == 302
    rating = LetterRating.objects.get(letter=letter)
    assert (rating.level, rating.comment) == (5, "答复及时")
    page = page_of(client.get(letter_url(letter)))
    assert "感谢您的评价" in page and 'name="level"' not in page
    again = client.post(reverse("mailbox:rate", args=[letter.number]), {"level": "1"})
    assert again.status_code == 302
    assert LetterRating.objects.get(letter=letter).level == 5


def test_a_rating_without_a_level_is_refused_naming_the_field(cluster):
    letter, code = answered_with_code(cluster)
    client = granted_client(letter, code)
    response = client.post(reverse("mailbox:rate", args=[letter.number]), {"level": "9"})
    assert response.status_code == 400
    assert 'href="#id_level_0"' in page_of(response) and "满意度：" in page_of(response)
    assert not LetterRating.objects.exists()


def test_rating_an_unanswered_letter_is_refused_without_a_500(cluster):
    letter, code = make_letter_with_code()
    client = granted_client(letter, code)
    response = client.post(reverse("mailbox:rate", args=[letter.number]), {"level": "4"})
    assert response.status_code == 400
    assert not LetterRating.objects.exists()


# --- My letters --------------------------------------------------------------------------------


def test_my_letters_lists_only_the_signed_in_citizen_s_letters(client, cluster):
    owner = make_citizen().user
    mine = make_letter(cluster=cluster, user=owner, title="我的来信标题")
    make_letter(cluster=cluster, title="别人的来信标题")
    client.force_login(owner)
    response = client.get(reverse("mailbox:mine"))
    page = page_of(response)
    assert mine.number in page and "我的来信标题" in page and "别人的来信标题" not in page
    assert_never_stored(response)


def test_my_letters_sends_visitors_to_the_citizen_sign_in(client, cluster):
    response = client.get(reverse("mailbox:mine"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:sign_in"))


def test_my_letters_points_to_the_lookup_for_letters_written_without_signing_in(client,
                                                                               cluster):
    client.force_login(make_citizen().user)
    page = page_of(client.get(reverse("mailbox:mine")))
    assert "查询码" in page and "/hudong/query/" in page


# --- Published letters -------------------------------------------------------------------------


def published(cluster, *, title="关于和平路路灯的建议", content="我叫王小明，电话13912345678，"
              "和平路路灯不亮。", kind_code="jianyi", body=None):
    body = body or cluster.education
    letter = make_letter(cluster=cluster, title=title, content=content, kind_code=kind_code,
                         assign_to=body)
    letter = answer_letter(letter, cluster)
    actions.publish_letter(letter=letter, actor=cluster.user(body.slug, Role.LETTER_REVIEWER))
    return Letter.objects.get(pk=letter.pk)


def test_published_letters_show_dates_body_reply_and_masked_text(client, cluster):
    with time_machine.travel("2026-03-02 10:00 +0800", tick=False):
        letter = published(cluster)
    unpublished = make_letter(cluster=cluster, title="未公开的来信")
    page = page_of(client.get(reverse("mailbox:published")))
    assert letter.published_title in page and "未公开的来信" not in page
    detail = client.get(reverse("mailbox:published_letter", args=[letter.number]))
    text = page_of(detail)
    assert detail.status_code == 200
    for label in ("受理日期", "答复日期", "答复部门", "答复内容"):
        assert label in text
    assert "2026-03-02" in text and cluster.education.name in text
    assert "13912345678" not in text and "王小明" not in text
    assert "增设临时停车点" in text
    assert client.get(reverse("mailbox:published_letter",
                              args=[unpublished.number])).status_code == 404
    assert_kept_out_of_the_page_cache(detail)


def test_published_letters_filter_by_body_kind_and_title_keyword(client, cluster):
    education = published(cluster, title="教育局的路灯建议")
    health = published(cluster, title="卫健委的医院建议", body=cluster.health, kind_code="zixun")
    url = reverse("mailbox:published")
    by_body = page_of(client.get(url, {"body": "health"}))
    assert health.published_title in by_body and education.published_title not in by_body
    by_kind = page_of(client.get(url, {"kind": "jianyi"}))
    assert education.published_title in by_kind and health.published_title not in by_kind
    by_word = page_of(client.get(url, {"q": "医院"}))
    assert health.published_title in by_word and education.published_title not in by_word
    unknown_body = client.get(url, {"body": "nowhere", "kind": "zixun", "page": "x"})
    assert unknown_body.status_code == 200
    assert health.published_title in page_of(unknown_body)
    assert education.published_title not in page_of(unknown_body)


def test_published_list_queries_do_not_grow_with_the_letters(client, cluster):
    published(cluster, title="第一封公开信")
    url = reverse("mailbox:published")
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for index in range(3):
        published(cluster, title=f"第{index + 2}封公开信", body=[cluster.health, cluster.district,
                                                            cluster.education][index])
    with CaptureQueriesContext(connection) as many:
        page = page_of(client.get(url))
    assert "第4封公开信" in page
    assert len(many.captured_queries) == len(few.captured_queries)


def test_published_list_is_paginated_by_twenty(client, cluster):
    with time_machine.travel("2026-03-02 10:00 +0800", tick=True):
        for index in range(21):
            published(cluster, title=f"公开信{index:02d}号")
    first = page_of(client.get(reverse("mailbox:published")))
    second = page_of(client.get(reverse("mailbox:published"), {"page": 2}))
    assert first.count("/hudong/published/XJ") == 20 and second.count("/hudong/published/XJ") == 1
    assert "共21封" in first and 'rel="next"' in first and 'rel="prev"' in second


def test_a_published_letter_with_html_is_shown_escaped(client, cluster):
    letter = published(cluster, title="<script>alert(1)</script>建议",
                       content="<img src=x onerror=alert(2)>路灯不亮，请修复。")
    text = page_of(client.get(reverse("mailbox:published_letter", args=[letter.number])))
    assert "<script>alert" not in text and "<img src=x" not in text
    assert "&lt;script&gt;" in text


# --- Statistics --------------------------------------------------------------------------------


def test_statistics_show_each_body_s_figures_for_the_year(client, cluster):
    with time_machine.travel("2026-03-02 10:00 +0800", tick=False):
        letter = make_letter(cluster=cluster, assign_to=cluster.education)
        answer_letter(letter, cluster)
        make_letter(cluster=cluster, assign_to=cluster.health)
        response = client.get(reverse("mailbox:statistics"))
    page = page_of(response)
    assert response.status_code == 200 and "2026年来信办理情况统计" in page
    row = re.search(rf"<th scope=\"row\">{cluster.education.name}</th>(.*?)</tr>", page,
                    re.S).group(1)
    assert re.findall(r"<td>(.*?)</td>", row)[:4] == ["1", "1", "100.0%", "100.0%"]
    assert cluster.health.name in page and "合计" in page
    assert_kept_out_of_the_page_cache(response)


def test_statistics_of_an_empty_year_and_a_bad_year_parameter(client, cluster):
    assert "2020年暂无来信" in page_of(client.get(reverse("mailbox:statistics"), {"year": 2020}))
    assert client.get(reverse("mailbox:statistics"), {"year": "abc"}).status_code == 200
