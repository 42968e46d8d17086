"""The notifications 依申请公开 sends (found at start-up by the notifications app). Staff may
replace the wording per channel in the admin (通知模板); the variables are what
``disclosure.actions.applications`` passes.

To the applicant (外网反馈): a citizen who applied while signed in is reached through their
account (e-mail, mobile and in-site inbox, as they chose); anyone else at the e-mail address on
the application. The query code is never part of a notification. Staff-facing kinds go by
e-mail only: staff have no inbox on the public site.
"""

from django.utils.translation import gettext_lazy as _

from chuangkou.notifications.choices import Channel
from chuangkou.notifications.kinds import NotificationKind, register_kind

__all__ = ["APPLICANT_KINDS", "STAFF_KINDS"]

_APPLICATION = {"number": _("申请编号"), "body": _("受理机关"),
                "signed_in": _("申请人是否登录公众账号（是则可在“我的申请”查看）"),
                "url": _("申请页面地址")}


def _applicant_kind(code: str, label, subject, body, sms, *, variables=None):
    return register_kind(NotificationKind(
        code=code, label=label, subject=subject, body=body, sms=sms,
        channels=(Channel.EMAIL, Channel.SMS, Channel.SITE),
        variables={**_APPLICATION, **(variables or {})}))


APPLICANT_KINDS = (
    _applicant_kind(
        "disclosure.application_registered", _("依申请公开：申请已登记"),
        _("您的政府信息公开申请已提交（{{ number }}）"),
        _("您好：\n\n您向{{ body }}提出的政府信息公开申请已{% if online %}提交，申请编号 "
          "{{ number }}。网上申请以受理机关与您双方确认之日为收到申请之日，确认后答复期限"
          "自该日起算。{% else %}登记，申请编号 {{ number }}，收到申请日期 {{ received_on }}，"
          "答复期限 {{ due_on }}。{% endif %}"
          "{% if signed_in %}登录后可在“我的申请”中查看办理情况。"
          "{% else %}请凭申请编号和查询码查询办理情况。{% endif %}"
          "\n\n本消息由系统自动发送，请勿回复。"),
        _("您的政府信息公开申请已{% if online %}提交{% else %}登记{% endif %}，"
          "申请编号{{ number }}。"),
        variables={"online": _("是否网上申请"), "received_on": _("收到申请日期"),
                   "due_on": _("答复期限")}),
    _applicant_kind(
        "disclosure.application_received", _("依申请公开：确认收到申请"),
        _("受理机关已确认收到您的申请（{{ number }}）"),
        _("您好：\n\n{{ body }}已确认收到您的政府信息公开申请（{{ number }}），收到申请日期 "
          "{{ received_on }}，答复期限 {{ due_on }}。\n\n本消息由系统自动发送，请勿回复。"),
        _("{{ body }}已确认收到您的申请{{ number }}，答复期限{{ due_on }}。"),
        variables={"received_on": _("收到申请日期"), "due_on": _("答复期限")}),
    _applicant_kind(
        "disclosure.correction_requested", _("依申请公开：补正通知"),
        _("政府信息公开申请补正通知（{{ number }}）"),
        _("您好：\n\n您的政府信息公开申请（{{ number }}）需要补正：\n\n{{ notice }}\n\n"
          "请于 {{ correction_due_on }} 前补正；逾期无正当理由不补正的，视为放弃申请"
          "（《政府信息公开条例》第三十条）。"
          "{% if signed_in %}登录后可在“我的申请”中查看补正通知。"
          "{% else %}请凭申请编号和查询码查看补正通知。{% endif %}"
          "\n\n本消息由系统自动发送，请勿回复。"),
        _("您的政府信息公开申请{{ number }}需要补正，请于{{ correction_due_on }}前补正，"
          "详见补正通知。"),
        variables={"notice": _("需要补正的事项"), "correction_due_on": _("补正期限")}),
    _applicant_kind(
        "disclosure.application_extended", _("依申请公开：延期答复告知"),
        _("政府信息公开申请延期答复告知（{{ number }}）"),
        _("您好：\n\n经政务公开工作机构负责人同意，您的政府信息公开申请（{{ number }}）答复期限"
          "延长至 {{ due_on }}（《政府信息公开条例》第三十三条）。"
          "\n\n本消息由系统自动发送，请勿回复。"),
        _("您的政府信息公开申请{{ number }}答复期限延长至{{ due_on }}。"),
        variables={"due_on": _("新的答复期限")}),
    _applicant_kind(
        "disclosure.fee_due", _("依申请公开：信息处理费收费通知"),
        _("政府信息公开信息处理费收费通知（{{ number }}）"),
        _("您好：\n\n您的政府信息公开申请（{{ number }}）需缴纳信息处理费 {{ amount }} 元，"
          "请于 {{ fee_due_on }} 前缴纳；缴费期间不计算在答复期限内，逾期未缴纳的，"
          "受理机关不再处理该申请（国办函〔2020〕109号）。"
          "\n\n本消息由系统自动发送，请勿回复。"),
        _("您的政府信息公开申请{{ number }}需缴纳信息处理费{{ amount }}元，"
          "请于{{ fee_due_on }}前缴纳。"),
        variables={"amount": _("信息处理费（元）"), "fee_due_on": _("缴费期限")}),
    _applicant_kind(
        "disclosure.application_answered", _("依申请公开：已作出答复"),
        _("政府信息公开申请答复（{{ number }}）"),
        _("您好：\n\n{{ body }}已对您的政府信息公开申请（{{ number }}）作出答复：{{ kind }}。"
          "{% if signed_in %}登录后可在“我的申请”中查看答复书和附件。"
          "{% else %}请凭申请编号和查询码查看答复书和附件。{% endif %}"
          "\n\n本消息由系统自动发送，请勿回复。"),
        _("您的政府信息公开申请{{ number }}已作出答复，请查看答复书。"),
        variables={"kind": _("答复类型")}),
    _applicant_kind(
        "disclosure.application_transferred", _("依申请公开：申请已转办"),
        _("您的政府信息公开申请已转交办理（{{ number }}）"),
        _("您好：\n\n您的政府信息公开申请（{{ number }}）所需信息由{{ target_body }}负责公开，"
          "已转交{{ target_body }}办理，新的申请编号为 {{ new_number }}，答复期限 {{ due_on }}。"
          "您可凭原申请编号和查询码查询办理进展。\n\n本消息由系统自动发送，请勿回复。"),
        _("您的政府信息公开申请{{ number }}已转交{{ target_body }}办理，新编号{{ new_number }}。"),
        variables={"target_body": _("转交机关"), "new_number": _("新的申请编号"),
                   "due_on": _("新的答复期限")}),
    _applicant_kind(
        "disclosure.application_closed", _("依申请公开：逾期办结"),
        _("政府信息公开申请已办结（{{ number }}）"),
        _("您好：\n\n{{ reason }}\n\n您的政府信息公开申请（{{ number }}）已办结。"
          "\n\n本消息由系统自动发送，请勿回复。"),
        _("您的政府信息公开申请{{ number }}已办结：{{ reason }}"),
        variables={"reason": _("办结原因")}),
)

STAFF_KINDS = (
    register_kind(NotificationKind(
        code="disclosure.application_due_soon", label=_("依申请公开：即将到期（承办人）"),
        subject=_("依申请公开即将到期：{{ number }}"),
        body=_("申请{{ number }}的答复期限为{{ due_on }}，请按期答复。"),
        channels=(Channel.EMAIL,),
        variables={"number": _("申请编号"), "due_on": _("答复期限"),
                   "url": _("后台办理页面地址")})),
    register_kind(NotificationKind(
        code="disclosure.application_overdue", label=_("依申请公开：已超期（负责人）"),
        subject=_("依申请公开已超期：{{ number }}"),
        body=_("申请{{ number }}的答复期限{{ due_on }}已过，尚未答复，请督办。"),
        channels=(Channel.EMAIL,),
        variables={"number": _("申请编号"), "due_on": _("答复期限"),
                   "url": _("后台办理页面地址")})),
)
