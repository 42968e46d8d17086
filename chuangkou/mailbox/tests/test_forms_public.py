"""The public forms: what they clean, what they refuse, and how their errors are tied to the
fields for screen readers and listed in the summary."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from chuangkou.mailbox.forms.public import (
    LetterForm,
    PublishedFilterForm,
    QueryForm,
    RatingForm,
    StatisticsYearForm,
)
from chuangkou.mailbox.models import LetterKind

from .public_helpers import form_data


def test_a_valid_form_gives_the_draft_and_the_writer_apart(cluster):
    form = LetterForm(form_data(addressed_body=cluster.health, title="  路灯\t不亮  ",
                                name=" 王 小明 ", phone=" 139 1234 5678 "))
    assert form.is_valid(), form.errors
    draft, writer = form.letter_draft(), form.writer_input()
    assert draft.kind == LetterKind.objects.get(code="zixun")
    assert draft.addressed_body == cluster.health and draft.may_publish is True
    assert draft.title == "路灯 不亮"
    assert (writer.name, writer.phone, writer.email) == ("王 小明", "13912345678",
                                                         "wang.xiaoming@example.com")
    assert not hasattr(draft, "name") and not hasattr(draft, "phone")


def test_may_publish_is_off_unless_ticked(cluster):
    data = form_data()
    del data["may_publish"]
    form = LetterForm(data)
    assert form.is_valid() and form.letter_draft().may_publish is False


@pytest.mark.parametrize("phone", ["0571-87654321", "057187654321", "13800138000"])
def test_mobile_and_landline_numbers_are_accepted(cluster, phone):
    assert LetterForm(form_data(phone=phone)).is_valid()


def test_an_inactive_kind_cannot_be_chosen(cluster):
    kind = LetterKind.objects.get(code="piping")
    kind.is_active = False
    kind.save()
    form = LetterForm(form_data(kind_code="piping"))
    assert not form.is_valid() and "kind" in form.errors
    assert "批评" not in str(LetterForm()["kind"])


def test_errors_are_tied_to_their_inputs_and_listed_with_links(cluster):
    form = LetterForm(form_data(title="", kind=""))
    assert not form.is_valid()
    title = str(form["title"])
    assert 'aria-invalid="true"' in title
    assert 'aria-describedby="id_title-help id_title-errors"' in title
    assert 'aria-describedby="id_kind-errors"' in str(form["kind"])
    summary = form.error_summary()
    assert [(item["anchor"], item["label"]) for item in summary] == [
        ("id_kind_0", "信件类型"), ("id_title", "标题")]
    assert all(item["message"] for item in summary)


def test_an_unbound_form_has_no_error_summary_and_no_invalid_marks(cluster):
    form = LetterForm()
    assert form.error_summary() == []
    assert "aria-invalid" not in str(form["title"])


def test_the_bot_check_errors_are_listed_first_and_named(cluster):
    form = LetterForm(form_data(seconds_ago=0, bot_answer="99"))
    assert not form.is_valid()
    summary = form.error_summary()
    assert summary[0]["anchor"] is None and "表单填写时间" in summary[0]["message"]
    assert summary[-1]["anchor"] == "id_bot_answer" and summary[-1]["label"] == "验证问题"


def test_a_form_shown_again_keeps_its_token_but_gets_a_new_challenge(cluster):
    data = form_data(title="")
    form = LetterForm(data)
    assert not form.is_valid()
    assert form.current_form_token == data["form_token"]
    assert form.challenge.token != data["bot_token"]


def test_a_missing_form_token_is_refused_and_replaced(cluster):
    data = form_data()
    data["form_token"] = ""
    form = LetterForm(data)
    assert not form.is_valid()
    assert form.current_form_token and len(form.current_form_token) >= 32


def test_more_attachments_than_allowed_are_refused_before_they_are_read(cluster):
    files = [SimpleUploadedFile(f"a{index}.png", b"\x89PNG\r\n\x1a\n....") for index in range(6)]
    form = LetterForm(form_data(), {"attachments": files})
    assert not form.is_valid()
    assert "最多上传5个文件" in form.errors["attachments"][0]


def test_the_query_form_ignores_spaces_and_case_in_the_number():
    form = QueryForm({"number": " xj2026 000001 ", "code": " abcd efgh "})
    assert form.is_valid()
    assert form.cleaned_data == {"number": "XJ2026000001", "code": "abcdefgh"}


def test_the_query_code_is_never_rendered_back():
    form = QueryForm({"number": "XJ2026000001", "code": "SECRET12"})
    form.is_valid()
    assert "SECRET12" not in str(form["code"])


def test_the_rating_form_offers_five_levels_best_first():
    form = RatingForm()
    assert [value for value, _label in form.fields["level"].choices] == [5, 4, 3, 2, 1]
    assert RatingForm({"level": "2", "comment": " 一般 "}).is_valid()
    bad = RatingForm({"level": "6"})
    assert not bad.is_valid() and bad.error_summary()[0]["label"] == "满意度"


def test_the_rating_comment_is_limited():
    form = RatingForm({"level": "3", "comment": "长" * 501})
    assert not form.is_valid() and "500" in form.errors["comment"][0]


def test_the_published_filter_takes_slugs_and_codes(cluster):
    form = PublishedFilterForm({"body": "education", "kind": "zixun", "q": "  路灯  施工 "})
    assert form.is_valid()
    assert form.cleaned_data["body"] == cluster.education
    assert form.cleaned_data["kind"].code == "zixun"
    assert form.cleaned_data["q"] == "路灯 施工"


def test_the_statistics_year_defaults_to_this_year_and_ignores_nonsense():
    assert StatisticsYearForm({"year": "2025"}).selected_year() == 2025
    from django.utils import timezone

    this_year = timezone.localdate().year
    assert StatisticsYearForm({"year": "abc"}).selected_year() == this_year
    assert StatisticsYearForm(None).selected_year() == this_year
