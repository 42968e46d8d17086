"""The notifications 政民互动 sends (found at start-up by the notifications app). Staff may
replace the wording per channel in the admin (通知模板); the variables are what
``mailbox.actions`` passes.

To the writer: a citizen who wrote while signed in is reached through their account (e-mail,
mobile and in-site inbox, as they chose); anyone else at the e-mail address they gave with the
letter. The query code is never part of a notification. Staff-facing kinds go by e-mail only:
staff have no inbox on the public site.
"""

from django.utils.translation import gettext_lazy as _

from chuangkou.notifications.choices import Channel
from chuangkou.notifications.kinds import NotificationKind, register_kind

__all__ = ["STAFF_KINDS", "WRITER_KINDS"]

_LETTER = {"number": _("信件编号"), "title": _("来信标题"),
           "signed_in": _("写信人是否登录公众账号（是则可在“我的来信”查看）"),
           "url": _("来信页面地址")}
_STAFF_LETTER = {"number": _("信件编号"), "title": _("来信标题"), "url": _("后台办理页面地址")}


def _writer_kind(code: str, label, subject, body, sms, *, variables=None):
    return register_kind(NotificationKind(
        code=code, label=label, subject=subject, body=body, sms=sms,
        channels=(Channel.EMAIL, Channel.SMS, Channel.SITE),
        variables={**_LETTER, **(variables or {})}))


def _staff_kind(code: str, label, subject, body, *, variables=None):
    return register_kind(NotificationKind(
        code=code, label=label, subject=subject, body=body, channels=(Channel.EMAIL,),
        variables={**_STAFF_LETTER, **(variables or {})}))


WRITER_KINDS = (
    _writer_kind(
        "mailbox.letter_received", _("政民互动：来信已收到"),
        _("您的来信已收到（{{ number }}）"),
        _("您好：\n\n您的来信《{{ title }}》已收到，信件编号为 {{ number }}。"
          "{% if signed_in %}登录后可在“我的来信”中查看办理进度和答复。"
          "{% else %}请凭信件编号和提交时显示的查询码查询办理进度和答复。{% endif %}"
          "\n\n本消息由系统自动发送，请勿回复。"),
        _("您的来信已收到，信件编号{{ number }}。")),
    _writer_kind(
        "mailbox.letter_refused", _("政民互动：来信不予受理"),
        _("您的来信不予受理（{{ number }}）"),
        _("您好：\n\n您的来信《{{ title }}》（{{ number }}）不予受理，理由：{{ reason }}"
          "\n\n本消息由系统自动发送，请勿回复。"),
        _("您的来信{{ number }}不予受理，理由：{{ reason }}"),
        variables={"reason": _("不予受理理由")}),
    _writer_kind(
        "mailbox.letter_forwarded", _("政民互动：来信已转办"),
        _("您的来信已转交办理（{{ number }}）"),
        _("您好：\n\n您的来信《{{ title }}》（{{ number }}）已转交{{ body }}办理，"
          "答复期限 {{ due_on }}。\n\n本消息由系统自动发送，请勿回复。"),
        _("您的来信{{ number }}已转交{{ body }}办理，答复期限{{ due_on }}。"),
        variables={"body": _("新的承办单位"), "due_on": _("答复期限")}),
    _writer_kind(
        "mailbox.letter_merged", _("政民互动：来信合并办理"),
        _("您的来信合并办理（{{ number }}）"),
        _("您好：\n\n您的来信《{{ title }}》（{{ number }}）与反映同一事项的来信合并办理，"
          "答复将一并告知。\n\n本消息由系统自动发送，请勿回复。"),
        _("您的来信{{ number }}与反映同一事项的来信合并办理，答复将一并告知。")),
    _writer_kind(
        "mailbox.letter_extended", _("政民互动：办理期限延长"),
        _("您的来信办理期限延长（{{ number }}）"),
        _("您好：\n\n您的来信《{{ title }}》（{{ number }}）因办理需要，答复期限延长至"
          " {{ due_on }}。\n\n本消息由系统自动发送，请勿回复。"),
        _("您的来信{{ number }}答复期限延长至{{ due_on }}。"),
        variables={"due_on": _("新的答复期限")}),
    _writer_kind(
        "mailbox.letter_answered", _("政民互动：来信已答复"),
        _("您的来信已答复（{{ number }}）"),
        _("您好：\n\n您的来信《{{ title }}》（{{ number }}）已由{{ body }}答复：\n\n{{ text }}"
          "\n\n{% if signed_in %}登录后可在“我的来信”中查看办理过程并对答复进行评价。"
          "{% else %}您可凭信件编号和查询码查看办理过程并对答复进行评价。{% endif %}"
          "\n\n本消息由系统自动发送，请勿回复。"),
        _("您的来信{{ number }}已由{{ body }}答复，请查看答复并评价。"),
        variables={"body": _("答复单位"), "text": _("答复内容")}),
)

STAFF_KINDS = (
    _staff_kind(
        "mailbox.letter_assigned", _("政民互动：新交办来信（承办人）"),
        _("新交办来信（{{ number }}）"),
        _("来信《{{ title }}》（{{ number }}）已交由{{ body }}办理，答复期限 {{ due_on }}。"),
        variables={"body": _("承办单位"), "due_on": _("答复期限")}),
    _staff_kind(
        "mailbox.letter_returned", _("政民互动：来信退回待重新分办（分办员）"),
        _("来信被退回待重新分办（{{ number }}）"),
        _("{{ body }}退回了来信《{{ title }}》（{{ number }}），理由：{{ reason }}"),
        variables={"body": _("退回单位"), "reason": _("退回理由")}),
    _staff_kind(
        "mailbox.reply_in_review", _("政民互动：答复待审核（审核人）"),
        _("答复待审核（{{ number }}）"),
        _("来信《{{ title }}》（{{ number }}）的答复已提交，请审核。答复期限 {{ due_on }}。"),
        variables={"due_on": _("答复期限")}),
    _staff_kind(
        "mailbox.reply_returned", _("政民互动：答复被退回重新办理（承办人）"),
        _("答复被退回重新办理（{{ number }}）"),
        _("来信《{{ title }}》（{{ number }}）的答复审核未通过，请重新办理。"
          "退回理由：{{ reasons }}"),
        variables={"reasons": _("退回理由")}),
    _staff_kind(
        "mailbox.extension_requested", _("政民互动：延期申请待审批（审核人）"),
        _("延期申请待审批（{{ number }}）"),
        _("来信《{{ title }}》（{{ number }}）申请延长{{ days }}个工作日，理由：{{ reason }}"),
        variables={"days": _("申请延长的工作日"), "reason": _("延期理由")}),
    _staff_kind(
        "mailbox.extension_decided", _("政民互动：延期申请审批结果（承办人）"),
        _("延期申请审批结果（{{ number }}）"),
        _("{% if approved %}来信《{{ title }}》（{{ number }}）的延期申请已批准，答复期限延长至"
          "{{ due_on }}。{% else %}来信《{{ title }}》（{{ number }}）的延期申请未获批准，"
          "答复期限仍为{{ due_on }}。{{ note }}{% endif %}"),
        variables={"approved": _("是否批准"), "due_on": _("答复期限"), "note": _("审批意见")}),
    _staff_kind(
        "mailbox.letter_urged", _("政民互动：督办通知（承办人）"),
        _("督办通知（{{ number }}）"),
        _("来信《{{ title }}》（{{ number }}）被督办，请尽快办理并回复办理情况。"
          "督办意见：{{ note }}"),
        variables={"note": _("督办意见")}),
    _staff_kind(
        "mailbox.urge_answered", _("政民互动：督办已回复（督办员）"),
        _("督办已回复（{{ number }}）"),
        _("来信《{{ title }}》（{{ number }}）的承办单位回复了督办：{{ response }}"),
        variables={"response": _("办理情况说明")}),
    _staff_kind(
        "mailbox.letter_due_soon", _("政民互动：来信即将到期（承办人）"),
        _("来信即将到期（{{ number }}）"),
        _("来信《{{ title }}》（{{ number }}）答复期限 {{ due_on }}，剩余{{ left }}个工作日。"
          "请按期答复。"),
        variables={"due_on": _("答复期限"), "left": _("剩余工作日")}),
    _staff_kind(
        "mailbox.letter_overdue", _("政民互动：来信超期未答复（督办员）"),
        _("来信超期未答复（{{ number }}）"),
        _("{{ body }}承办的来信《{{ title }}》（{{ number }}）答复期限 {{ due_on }} 已过"
          "（超期{{ days }}个工作日），已提请督办。"),
        variables={"body": _("承办单位"), "due_on": _("答复期限"),
                   "days": _("超期工作日")}),
    _staff_kind(
        "mailbox.rating_dissatisfied", _("政民互动：不满意评价待回访（督办员）"),
        _("不满意评价待回访（{{ number }}）"),
        _("来信《{{ title }}》（{{ number }}）的答复被评为“{{ level }}”，请组织回访跟踪。"),
        variables={"level": _("满意度")}),
)
