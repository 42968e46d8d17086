"""What the back-office API reads and accepts. Field help texts are the documentation the
departments' developers read in /api/v1/docs/."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ..choices import ApplicationStatus, DeliveryMethod
from ..models import (
    ApplicantDetails,
    ApplicationEvent,
    ApplicationUpload,
    Payment,
    ProxyHop,
    ServiceApplication,
    ServiceStep,
)
from ..webhooks import api_url

__all__ = [
    "TRANSITIONS",
    "ApplicationDetailSerializer",
    "ApplicationListSerializer",
    "TransitionSerializer",
]


def inline_choice_field(choices, **kwargs) -> serializers.ChoiceField:
    """A choice field documented with its values in place.

    drf-spectacular pulls every enum into a component named after the field; "status" names
    other choice sets elsewhere in the API, and the delivery methods appear as both ``method``
    and ``delivery_method``, which it reports as warnings (the schema test fails on them).
    Kept inline, each enum documents itself where it is used.
    """
    values = [value for value, _label in choices]
    if kwargs.get("allow_blank"):
        values.append("")
    labels = "；".join(f"{value} {label}" for value, label in choices)

    @extend_schema_field({"allOf": [{"type": "string", "enum": values}],
                          "description": labels})
    class InlineChoiceField(serializers.ChoiceField):
        pass

    return InlineChoiceField(choices=choices, **kwargs)


class BodyRefSerializer(serializers.Serializer):
    slug = serializers.CharField(read_only=True, help_text=_("机构标识"))
    name = serializers.CharField(read_only=True, help_text=_("机构名称"))


class ItemRefSerializer(serializers.Serializer):
    code = serializers.CharField(read_only=True, help_text=_("事项编码"))
    name = serializers.CharField(read_only=True, help_text=_("事项名称"))
    implementing_body = BodyRefSerializer(read_only=True, help_text=_("实施机构"))


class ApplicationListSerializer(serializers.ModelSerializer):
    """办件 as listed: state and dates, no personal data."""

    item = ItemRefSerializer(read_only=True)
    current_body = BodyRefSerializer(read_only=True, help_text=_("当前所在单位"))
    status = inline_choice_field(ApplicationStatus.choices, read_only=True,
                                 help_text=_("办件状态"))
    status_display = serializers.CharField(source="get_status_display", read_only=True,
                                           help_text=_("办件状态的中文名称"))
    url = serializers.SerializerMethodField(help_text=_("办件详情的接口地址"))

    class Meta:
        model = ServiceApplication
        fields = ["number", "status", "status_display", "item", "current_body", "channel",
                  "submitted_at", "acceptance_due_on", "accepted_on", "due_on", "decided_on",
                  "delivered_at", "external_reference", "updated_at", "url"]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, application: ServiceApplication) -> str:
        return api_url("services-backoffice-application", number=application.number)


class ApplicantSerializer(serializers.ModelSerializer):
    class Meta:
        model = ApplicantDetails
        fields = ["name", "resident_id", "phone", "email", "address", "enterprise_name",
                  "credit_code"]
        read_only_fields = fields


class AnswerSerializer(serializers.Serializer):
    name = serializers.CharField(help_text=_("字段标识"))
    label = serializers.CharField(help_text=_("字段名称"))
    value = serializers.JSONField(help_text=_("填写内容（多选为数组）"))


class UploadSerializer(serializers.ModelSerializer):
    material = serializers.CharField(source="material.name", default=None, allow_null=True,
                                     read_only=True, help_text=_("对应材料名称"))
    url = serializers.SerializerMethodField(help_text=_("下载地址（需同一接口密钥）"))

    class Meta:
        model = ApplicationUpload
        fields = ["id", "original_name", "content_type", "size", "material", "is_supplement",
                  "uploaded_at", "url"]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, upload: ApplicationUpload) -> str:
        return api_url("services-backoffice-upload", number=upload.application.number,
                       pk=upload.pk)


class EventSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    body = serializers.CharField(source="body.name", default=None, allow_null=True,
                                 read_only=True)
    step = serializers.CharField(source="step.name", default=None, allow_null=True,
                                 read_only=True)

    class Meta:
        model = ApplicationEvent
        fields = ["kind", "kind_display", "occurred_at", "body", "step", "public_note",
                  "internal_note", "visible_to_applicant"]
        read_only_fields = fields


class HopSerializer(serializers.ModelSerializer):
    body = BodyRefSerializer(read_only=True)

    class Meta:
        model = ProxyHop
        fields = ["position", "body", "passed_on_at", "note"]
        read_only_fields = fields


class PaymentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Payment
        fields = ["id", "amount", "provider", "status", "reference", "requested_at",
                  "confirmed_at"]
        read_only_fields = fields


class StepSerializer(serializers.ModelSerializer):
    class Meta:
        model = ServiceStep
        fields = ["id", "name", "time_limit_days"]
        read_only_fields = fields


class ApplicationDetailSerializer(ApplicationListSerializer):
    """办件 in full for the system of its body: the applicant (every such read is audited),
    answers with their labels, uploads, timeline, proxy hops, payments and the item's steps
    (their ids are what ``complete_step`` takes)."""

    applicant_kind = serializers.CharField(read_only=True,
                                           help_text=_("申请人类型：person 个人；enterprise 法人"))
    delivery_method = inline_choice_field(DeliveryMethod.choices, read_only=True,
                                          allow_blank=True,
                                          help_text=_("送达方式；尚未送达时为空"))
    applicant = ApplicantSerializer(read_only=True)
    submitting_body = BodyRefSerializer(read_only=True, allow_null=True,
                                        help_text=_("代办单位；群众自己提交时为 null"))
    answers = serializers.SerializerMethodField()
    uploads = UploadSerializer(many=True, read_only=True)
    timeline = EventSerializer(source="events", many=True, read_only=True)
    hops = HopSerializer(many=True, read_only=True)
    payments = PaymentSerializer(many=True, read_only=True)
    steps = StepSerializer(source="item.steps", many=True, read_only=True)

    class Meta(ApplicationListSerializer.Meta):
        fields = [*ApplicationListSerializer.Meta.fields, "applicant_kind", "applicant",
                  "submitting_body", "refusal_reason", "supplement_notice", "decision_note",
                  "delivery_method", "delivery_note", "answers", "uploads", "timeline", "hops",
                  "payments", "steps"]
        read_only_fields = fields

    @extend_schema_field(AnswerSerializer(many=True))
    def get_answers(self, application: ServiceApplication) -> list[dict]:
        answers = dict(application.answers or {})
        result = []
        for field in application.item.form_fields.all():
            if field.name in answers:
                result.append({"name": field.name, "label": field.label,
                               "value": answers.pop(field.name)})
        # Answers to fields removed from the form since keep their name as label.
        result.extend({"name": name, "label": name, "value": value}
                      for name, value in answers.items())
        return result


TRANSITIONS = {
    "accept": _("受理"),
    "refuse": _("不予受理（须填写 reason）"),
    "request_supplement": _("一次性告知补正（须填写 notice）"),
    "complete_step": _("完成办理环节（须填写 step）"),
    "approve": _("办结：准予"),
    "deny": _("办结：不予（须填写 note）"),
    "deliver": _("结果送达（须填写 method）"),
}


class TransitionSerializer(serializers.Serializer):
    """One status change posted back by the department system (后台办理—网站反馈)."""

    action = serializers.ChoiceField(
        choices=list(TRANSITIONS.items()),
        help_text=_("accept 受理；refuse 不予受理；request_supplement 补正告知；complete_step "
                    "完成环节；approve/deny 办结（准予/不予）；deliver 结果送达"))
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="",
                                 help_text=_("办理意见（受理、环节、办结、送达）"))
    reason = serializers.CharField(required=False, allow_blank=True, max_length=2000,
                                   default="", help_text=_("不予受理理由（refuse 必填）"))
    notice = serializers.CharField(required=False, allow_blank=True, max_length=2000,
                                   default="", help_text=_("一次性告知补正的内容"))
    step = serializers.IntegerField(required=False, min_value=1, max_value=2**31 - 1,
                                    help_text=_("办理环节编号（complete_step 必填，见详情 steps）"))
    method = inline_choice_field(DeliveryMethod.choices, required=False,
                                 help_text=_("送达方式（deliver 必填）"))
    external_reference = serializers.CharField(
        required=False, allow_blank=True, max_length=64, trim_whitespace=True,
        help_text=_("业务系统自己的办件号，记录在办件上"))

    REQUIRED = {"refuse": ("reason", _("不予受理必须说明理由。")),
                "request_supplement": ("notice", _("请填写需要补正的材料和要求（一次性告知）。")),
                "complete_step": ("step", _("请指明完成的办理环节（step）。")),
                "deny": ("note", _("不予办理必须说明理由。")),
                "deliver": ("method", _("请指明送达方式（method）。"))}

    def validate(self, data: dict) -> dict:
        required = self.REQUIRED.get(data["action"])
        if required:
            field, message = required
            value = data.get(field)
            if value is None or (isinstance(value, str) and not value.strip()):
                raise serializers.ValidationError({field: [message]})
        return data
