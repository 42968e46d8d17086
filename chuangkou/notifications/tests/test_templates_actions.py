"""Staff's wording of notifications (通知模板): checked before it is saved (syntax, variables the
sender does not pass, SMS length, the code of a one-time-code message), audited, previewed with
sample values, reset to the default."""

import pytest

from chuangkou.core.models import AuditEvent
from chuangkou.notifications.actions import (
    reset_notification_template,
    save_notification_template,
)
from chuangkou.notifications.choices import Channel
from chuangkou.notifications.exceptions import TemplateRejected
from chuangkou.notifications.models import NotificationTemplate
from chuangkou.notifications.rendering import preview_message, render_message, template_problems

from .support import CODE, NOTICE, NOTICE_CONTEXT, make_user

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("test_kinds")]


@pytest.fixture
def administrator():
    return make_user("city-system_administrator")


def save(actor, channel=Channel.EMAIL, kind=NOTICE.code, **fields):
    values = {"subject": "【示例市政务服务网】{{ item }}已受理",
              "body": "{{ item }}（办件编号{{ number }}）已受理，请留意后续通知。"}
    values.update(fields)
    return save_notification_template(kind=kind, channel=channel, actor=actor, **values)


def test_saving_a_template_records_who_changed_what(administrator):
    template = save(administrator)
    assert (template.kind, template.channel, template.updated_by) == (
        NOTICE.code, Channel.EMAIL, administrator)
    save(administrator, body="{{ item }}已受理。")
    events = AuditEvent.objects.filter(action="notifications.template_saved").order_by("pk")
    assert [event.data["created"] for event in events] == [True, False]
    assert events.last().data["changed"] == ["body"] and events.last().actor == administrator
    assert NotificationTemplate.objects.get().body == "{{ item }}已受理。"


def test_a_syntax_error_is_refused_on_its_field_and_nothing_is_saved(administrator):
    with pytest.raises(TemplateRejected) as refusal:
        save(administrator, body="{% if item %}{{ item }}已受理")
    assert "模板语法错误" in refusal.value.errors["body"][0]
    assert not NotificationTemplate.objects.exists()


def test_a_variable_the_sender_does_not_pass_is_named_with_the_ones_it_does(administrator):
    with pytest.raises(TemplateRejected) as refusal:
        save(administrator, subject="{{ applicant_name }}的申请已受理")
    message = refusal.value.errors["subject"][0]
    assert "applicant_name" in message and "{{ number }}" in message


def test_loop_and_filter_variables_of_the_template_itself_are_not_unknown():
    assert template_problems(NOTICE, Channel.EMAIL, subject="受理通知",
                             body="{% for part in number|make_list %}{{ part }}{% endfor %}"
                                  "{{ item|default:'事项' }}") == {}


def test_an_sms_has_no_subject_and_a_length_limit(administrator):
    template = save(administrator, channel=Channel.SMS, subject="忽略的标题",
                    body="办件{{ number }}已受理。")
    assert template.subject == ""
    with pytest.raises(TemplateRejected) as refusal:
        save(administrator, channel=Channel.SMS, body="请携带身份证原件到窗口办理。" * 30)
    assert "不能超过300个字符" in refusal.value.errors["body"][0]


def test_a_one_time_code_message_must_still_contain_the_code(administrator):
    with pytest.raises(TemplateRejected) as refusal:
        save(administrator, kind=CODE.code, subject="登录验证码", body="请查收您的登录验证码。")
    assert "{{ code }}" in refusal.value.errors["body"][0]
    assert save(administrator, kind=CODE.code, subject="登录验证码",
                body="验证码{{ code }}，10分钟内有效。").pk


def test_a_channel_the_kind_is_not_sent_on_is_refused(administrator):
    with pytest.raises(TemplateRejected) as refusal:
        save(administrator, kind=CODE.code, channel=Channel.SITE, body="{{ code }}")
    assert "不通过该渠道发送" in refusal.value.errors["channel"][0]


def test_an_unknown_kind_is_refused(administrator):
    with pytest.raises(TemplateRejected):
        save(administrator, kind="testing.no_such_notice")


def test_resetting_deletes_staffs_template_and_is_audited(administrator):
    save(administrator)
    assert reset_notification_template(kind=NOTICE.code, channel=Channel.EMAIL,
                                       actor=administrator) is True
    assert not NotificationTemplate.objects.exists()
    assert AuditEvent.objects.get(action="notifications.template_reset").actor == administrator
    assert reset_notification_template(kind=NOTICE.code, channel=Channel.EMAIL,
                                       actor=administrator) is False


def test_the_preview_shows_each_variable_by_its_description():
    subject, body = preview_message(NOTICE, Channel.EMAIL, subject="{{ item }}已受理",
                                    body="办件编号：{{ number }}\n进度：{{ url }}")
    assert subject == "〔事项名称〕已受理"
    assert body == "办件编号：〔办件编号〕\n进度：/yonghu/"


def test_the_default_wording_is_rendered_as_plain_text_without_escaping():
    subject, body = render_message(NOTICE, Channel.EMAIL,
                                   {**NOTICE_CONTEXT, "item": "<医疗器械>经营许可", "url": ""})
    assert subject == "您的申请已受理：<医疗器械>经营许可"
    assert "&lt;" not in body
