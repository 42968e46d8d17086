"""The notifications 网上办事 sends (found at start-up by the notifications app). Staff may
replace the wording per channel in the admin (通知模板); the variables are what
``services.actions`` passes.

To the applicant or booker: a citizen with an account is reached through it (their e-mail,
mobile and in-site inbox, as they chose); someone without one at the e-mail address they gave.
Staff-facing kinds go by e-mail only: staff have no inbox on the public site.
"""

from django.utils.translation import gettext_lazy as _

from chuangkou.notifications.choices import Channel
from chuangkou.notifications.kinds import NotificationKind, register_kind

__all__ = ["APPLICATION_KINDS", "BOOKING_KINDS", "RATING_KINDS", "STAFF_KINDS"]

_APPLICATION = {"item": _("服务事项名称"), "number": _("办件编号"), "url": _("办件页面地址")}
_BOOKING = {"resource": _("预约项目"), "start": _("开始时间"), "place": _("地点"),
            "number": _("预约编号"), "url": _("预约页面地址")}


def _kind(code: str, label, subject, body, sms="", *, variables=None,
          channels=(Channel.EMAIL, Channel.SMS, Channel.SITE), sensitive=False):
    return register_kind(NotificationKind(
        code=code, label=label, subject=subject, body=body, sms=sms, channels=channels,
        variables=variables or {}, sensitive=sensitive))


APPLICATION_KINDS = (
    _kind("services.application_submitted", _("网上办事：申请已提交"),
          _("您的申请已提交（{{ number }}）"),
          _("您好：\n\n您申请的“{{ item }}”已提交，办件编号 {{ number }}。"
            "可登录后在网上办事“我的办事”中查看办理进度。\n\n本消息由系统自动发送，请勿回复。"),
          _("您申请的“{{ item }}”已提交，办件编号{{ number }}。"),
          variables=_APPLICATION),
    # The query code opens the application page: e-mail only, and wiped from the delivery
    # record once sent.
    _kind("services.application_submitted_with_code", _("网上办事：申请已提交（含查询码）"),
          _("您的申请已提交（{{ number }}）"),
          _("您好：\n\n您申请的“{{ item }}”已提交，办件编号 {{ number }}，查询码 {{ code }}。"
            "请妥善保管查询码，凭办件编号和查询码可在网上办事“办件查询”查看办理进度。\n\n本消息由系统自动发送，请勿回复。"),
          variables={**_APPLICATION, "code": _("查询码")}, channels=(Channel.EMAIL,),
          sensitive=True),
    _kind("services.application_accepted", _("网上办事：申请已受理"),
          _("您的申请已受理（{{ number }}）"),
          _("您好：\n\n您申请的“{{ item }}”（办件编号 {{ number }}）已受理，"
            "承诺办结期限 {{ due_on }}。\n\n本消息由系统自动发送，请勿回复。"),
          _("您的办件{{ number }}已受理，承诺{{ due_on }}前办结。"),
          variables={**_APPLICATION, "due_on": _("办结期限")}),
    _kind("services.application_refused", _("网上办事：不予受理"),
          _("您的申请不予受理（{{ number }}）"),
          _("您好：\n\n您申请的“{{ item }}”（办件编号 {{ number }}）不予受理，"
            "理由：{{ reason }}\n\n本消息由系统自动发送，请勿回复。"),
          _("您的办件{{ number }}不予受理，详见网上办事办件页面。"),
          variables={**_APPLICATION, "reason": _("不予受理理由")}),
    _kind("services.supplement_requested", _("网上办事：需要补正材料"),
          _("您的申请需要补正材料（{{ number }}）"),
          _("您好：\n\n您申请的“{{ item }}”（办件编号 {{ number }}）需要补正材料"
            "（一次性告知）：{{ notice }}\n请在办件页面上传补正材料。\n\n本消息由系统自动发送，请勿回复。"),
          _("您的办件{{ number }}需要补正材料，请登录网上办事查看一次性告知内容。"),
          variables={**_APPLICATION, "notice": _("补正告知内容")}),
    _kind("services.application_decided", _("网上办事：办件已办结"),
          _("您的申请已办结（{{ number }}）"),
          _("您好：\n\n您申请的“{{ item }}”（办件编号 {{ number }}）已办结：{{ result }}。"
            "{{ note }}\n办结后可对本次服务进行评价（好差评）。\n\n本消息由系统自动发送，请勿回复。"),
          _("您的办件{{ number }}已办结：{{ result }}。欢迎评价。"),
          variables={**_APPLICATION, "result": _("办理结果"), "note": _("结果说明")}),
    _kind("services.fee_requested", _("网上办事：缴费通知"),
          _("请缴纳办件费用（{{ number }}）"),
          _("您好：\n\n您申请的“{{ item }}”（办件编号 {{ number }}）需缴纳费用 {{ amount }} 元。"
            "\n{{ instructions }}\n\n本消息由系统自动发送，请勿回复。"),
          _("您的办件{{ number }}需缴费{{ amount }}元，缴费方式见办件页面。"),
          variables={**_APPLICATION, "amount": _("金额（元）"), "instructions": _("缴费说明")}),
    _kind("services.result_delivered", _("网上办事：办理结果已送达"),
          _("您的办理结果已送达（{{ number }}）"),
          _("您好：\n\n您申请的“{{ item }}”（办件编号 {{ number }}）的办理结果已送达"
            "（{{ method }}）。{{ note }}\n\n本消息由系统自动发送，请勿回复。"),
          _("您的办件{{ number }}办理结果已送达（{{ method }}）。"),
          variables={**_APPLICATION, "method": _("送达方式"), "note": _("送达说明")}),
)

BOOKING_KINDS = (
    _kind("services.booking_confirmed", _("预约服务：预约成功"),
          _("预约成功（{{ number }}）"),
          _("您好：\n\n您已预约“{{ resource }}”，时间 {{ start }}，地点 {{ place }}，"
            "预约编号 {{ number }}。如需取消，请在预约页面操作。\n\n本消息由系统自动发送，请勿回复。"),
          _("您已预约“{{ resource }}”，{{ start }}，{{ place }}，预约编号{{ number }}。"),
          variables=_BOOKING),
    _kind("services.booking_cancelled", _("预约服务：预约已取消"),
          _("预约已取消（{{ number }}）"),
          _("您好：\n\n您预约的“{{ resource }}”（{{ start }}，{{ place }}，预约编号 {{ number }}）"
            "已取消。\n原因：{{ reason }}\n\n如需重新预约，请访问网上办事“预约服务”。\n\n本消息由系统自动发送，请勿回复。"),
          _("您的预约{{ number }}（{{ start }}“{{ resource }}”）已取消：{{ reason }}"),
          variables={**_BOOKING, "reason": _("取消原因")}),
    _kind("services.booking_reminder", _("预约服务：预约前一天提醒"),
          _("明天有您的预约（{{ number }}）"),
          _("您好：\n\n提醒您：您预约的“{{ resource }}”在 {{ start }}，地点 {{ place }}，"
            "预约编号 {{ number }}。不能前往请提前取消。\n\n本消息由系统自动发送，请勿回复。"),
          _("提醒：您预约的“{{ resource }}”在{{ start }}，地点{{ place }}。"),
          variables=_BOOKING),
)

RATING_KINDS = (
    _kind("services.rating_rectified", _("好差评：差评整改结果"),
          _("您的评价已整改（{{ number }}）"),
          _("您好：\n\n您对“{{ item }}”（办件编号 {{ number }}）的评价已经回访和整改，"
            "整改结果：{{ conclusion }}\n\n感谢您的监督。本消息由系统自动发送，请勿回复。"),
          _("您对办件{{ number }}的评价已整改，结果见网上办事办件页面。"),
          variables={**_APPLICATION, "conclusion": _("整改结果")}),
)

STAFF_KINDS = (
    _kind("services.rating_dissatisfied", _("好差评：差评待整改（工作人员）"),
          _("差评待整改（{{ number }}）"),
          _("办件{{ number }}（{{ item }}）被评为“{{ level }}”，请于{{ due_on }}前指定整改责任人，"
            "完成回访和整改。"),
          variables={**_APPLICATION, "level": _("评价等级"), "due_on": _("整改期限")},
          channels=(Channel.EMAIL,)),
    _kind("services.rectification_assigned", _("好差评：请办理差评整改（工作人员）"),
          _("请办理差评整改（{{ number }}）"),
          _("您被指定为差评整改责任人（办件{{ number }}，{{ item }}），"
            "请于{{ due_on }}前完成回访和整改并记录。"),
          variables={**_APPLICATION, "due_on": _("整改期限")}, channels=(Channel.EMAIL,)),
    _kind("services.appeal_submitted", _("好差评：申诉待复核（工作人员）"),
          _("好差评申诉待复核"),
          _("{{ body }}对一条评价（办件{{ number }}）提出申诉，请复核。"),
          variables={"body": _("申诉单位"), "number": _("办件编号")},
          channels=(Channel.EMAIL,)),
    _kind("services.appeal_decided", _("好差评：申诉复核结果（工作人员）"),
          _("好差评申诉复核结果（{{ number }}）"),
          _("您对办件{{ number }}的评价提出的申诉已复核：{{ result }}。\n复核意见：{{ note }}"),
          variables={"number": _("办件编号"), "result": _("复核结果"), "note": _("复核意见")},
          channels=(Channel.EMAIL,)),
)
