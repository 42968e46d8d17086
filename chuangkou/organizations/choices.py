from django.db import models
from django.utils.translation import gettext_lazy as _


class BodyKind(models.TextChoices):
    """Kinds of government body in a city's tree (政府机构类型)."""

    CITY_GOVERNMENT = "city_government", _("市人民政府")
    DEPARTMENT = "department", _("政府部门")
    DISTRICT_GOVERNMENT = "district_government", _("区县人民政府")
    STREET_OFFICE = "street_office", _("街道办事处/乡镇")
    COMMUNITY = "community", _("社区/村")
    PUBLIC_INSTITUTION = "public_institution", _("公共企事业单位")


class Role(models.TextChoices):
    """Staff roles; each maps onto a Wagtail group with permissions (see permissions.py)."""

    CONTRIBUTOR = "contributor", _("通讯员")
    EDITOR = "editor", _("编辑")
    REVIEWER = "reviewer", _("审核员")
    CONFIDENTIALITY_REVIEWER = "confidentiality_reviewer", _("保密审查员")
    SITE_ADMINISTRATOR = "site_administrator", _("站点管理员")
    # 政务公开: handles disclosure applications and keeps the body's catalogue.
    DISCLOSURE_OFFICER = "disclosure_officer", _("政务公开工作人员")
    # 政务公开办负责人: approves extensions (条例 第三十三条) and supervises overdue handling.
    DISCLOSURE_OFFICE_HEAD = "disclosure_office_head", _("政务公开办负责人")
    # 政民互动: the body's handler drafts replies to letters assigned to it; its reviewer
    # approves them or sends them back (不合格重新办理) and decides extensions.
    LETTER_HANDLER = "letter_handler", _("信件办理员")
    LETTER_REVIEWER = "letter_reviewer", _("信件审核员")
    # Act on letters of their body and every body below it: the dispatcher routes (分办,
    # 转办, 合并, 待审核来信); the supervisor (监察/督办) urges, tracks and reports.
    LETTER_DISPATCHER = "letter_dispatcher", _("信件分办员")
    LETTER_SUPERVISOR = "letter_supervisor", _("督办员")
    # 网上办事: the item manager keeps the body's service items, online forms, life-event
    # guides and bookable resources; the handler (窗口办件人员) accepts and handles applications
    # at the body, submits on citizens' behalf (代办) and passes them on; the supervisor acts on
    # the body and every body below it (overdue applications, 好差评 rectification, appeals).
    SERVICE_ITEM_MANAGER = "service_item_manager", _("事项管理员")
    SERVICE_HANDLER = "service_handler", _("办件人员")
    SERVICE_SUPERVISOR = "service_supervisor", _("政务服务督办员")
    # 用户: confirms citizens' real names and enterprises' registrations, and may open a
    # citizen's personal data (every opening audited). Acts on every account in the city.
    ACCOUNT_OFFICER = "account_officer", _("用户认证专员")
    SYSTEM_ADMINISTRATOR = "system_administrator", _("系统管理员")
    AUDITOR = "auditor", _("审计员")
