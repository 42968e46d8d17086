"""业务系统对接 API: a department's approval system takes its body's applications and posts
their handling back, so the portal stays the citizen's entry and window
(网站受理—后台办理—网站反馈). Every endpoint needs ``Authorization: Bearer ck_…``; a system sees
only applications now at, or implemented by, its own body."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db import transaction
from django.http import FileResponse, Http404
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from .. import actions
from ..choices import ApplicationStatus
from ..models import ServiceApplication, ServiceStep
from .authentication import BackOfficeKeyAuthentication, IsBackOfficeSystem
from .queries import system_application, system_applications
from .serializers import (
    ApplicationDetailSerializer,
    ApplicationListSerializer,
    TransitionSerializer,
)

TAGS = ["网上办事：业务系统对接"]
UNAUTHORIZED = OpenApiResponse(description=_("缺少接口密钥，或密钥无效、已更换、系统已停用"))
THROTTLED = OpenApiResponse(description=_("调用过于频繁（每个密钥每分钟120次）"))
NOT_FOUND = OpenApiResponse(description=_("没有该办件，或办件不属于本系统所属单位"))


class BackOfficeAPIView(APIView):
    authentication_classes = [BackOfficeKeyAuthentication]
    permission_classes = [IsBackOfficeSystem]
    # Limited per key by the authentication; the site-wide per-address throttles would count
    # a department's whole network as one visitor.
    throttle_classes: list = []

    @property
    def system(self):
        return self.request.auth

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        # Personal data and per-system answers: never stored by a cache on the way.
        patch_cache_control(response, private=True, no_store=True, max_age=0)
        return response

    def application_or_404(self, number: str) -> ServiceApplication:
        application = system_application(self.system, number)
        if application is None:
            raise Http404
        return application

    def detail_response(self, application: ServiceApplication) -> Response:
        actions.record_system_viewed_applicant(application=application, system=self.system)
        return Response(ApplicationDetailSerializer(application).data)


class ApplicationFilter(filters.FilterSet):
    status = filters.ChoiceFilter(choices=ApplicationStatus.choices, help_text=_("办件状态"))
    updated_since = filters.IsoDateTimeFilter(
        field_name="updated_at", lookup_expr="gte",
        help_text=_("只列出此时刻（ISO 8601，如 2026-03-01T08:00:00+08:00）以后有变化的办件"))

    class Meta:
        model = ServiceApplication
        fields = ["status", "updated_since"]


@extend_schema(tags=TAGS, summary=_("本单位办件列表"),
               description=_("当前在本系统所属单位或由其实施的办件，按提交时间从新到旧，分页。"
                             "不含申请人信息；增量同步用 updated_since。"),
               responses={200: ApplicationListSerializer(many=True), 400: OpenApiResponse(
                   description=_("筛选条件格式有误")), 401: UNAUTHORIZED, 429: THROTTLED})
class ApplicationListView(BackOfficeAPIView, generics.ListAPIView):
    serializer_class = ApplicationListSerializer
    filter_backends = [filters.DjangoFilterBackend]
    filterset_class = ApplicationFilter

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return ServiceApplication.objects.none()
        return system_applications(self.system)


NUMBER = OpenApiParameter("number", OpenApiTypes.STR, OpenApiParameter.PATH,
                          description=_("办件编号，如 BJ2026000001"))


class ApplicationDetailView(BackOfficeAPIView):
    @extend_schema(tags=TAGS, summary=_("办件详情"), parameters=[NUMBER],
                   description=_("含申请人信息（每次读取都记入审计记录）、申请表内容、材料、"
                                 "办理记录、代办流转、缴费和事项的办理环节。"),
                   responses={200: ApplicationDetailSerializer, 401: UNAUTHORIZED,
                              404: NOT_FOUND, 429: THROTTLED})
    def get(self, request: Request, number: str) -> Response:
        return self.detail_response(self.application_or_404(number))


class ApplicationUploadView(BackOfficeAPIView):
    @extend_schema(tags=TAGS, summary=_("下载申请材料"), parameters=[
                       NUMBER, OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH,
                                                description=_("材料编号"))],
                   responses={(200, "application/octet-stream"): OpenApiResponse(
                       OpenApiTypes.BINARY, description=_("文件内容")),
                       401: UNAUTHORIZED, 404: NOT_FOUND, 429: THROTTLED})
    def get(self, request: Request, number: str, pk: int):
        application = self.application_or_404(number)
        upload = next((row for row in application.uploads.all() if row.pk == pk), None)
        if upload is None:
            raise Http404
        try:
            handle = upload.file.open("rb")
        except (FileNotFoundError, OSError):
            raise Http404 from None
        return FileResponse(handle, as_attachment=True, filename=upload.original_name,
                            content_type=upload.content_type or "application/octet-stream")


class TransitionView(BackOfficeAPIView):
    @extend_schema(tags=TAGS, summary=_("回传办理结果"), parameters=[NUMBER],
                   request=TransitionSerializer,
                   description=_("业务系统办理后回传：受理、不予受理、补正告知、完成环节、"
                                 "办结（准予/不予）、送达。可同时登记业务系统办件号。"
                                 "不符合办理规则时返回 400 和各字段的说明。"),
                   responses={200: ApplicationDetailSerializer,
                              400: OpenApiResponse(description=_(
                                  "输入有误或不符合办理规则，如 {\"reason\": [\"…\"]}")),
                              401: UNAUTHORIZED, 403: OpenApiResponse(description=_(
                                  "办件尚未转到本单位，本系统不能办理")),
                              404: NOT_FOUND, 429: THROTTLED})
    def post(self, request: Request, number: str) -> Response:
        application = self.application_or_404(number)
        serializer = TransitionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        step = None
        if data["action"] == "complete_step":
            step = ServiceStep.objects.filter(item_id=application.item_id,
                                              pk=data["step"]).first()
            if step is None:
                raise ValidationError({"step": [_("该事项没有这个办理环节。")]})
        try:
            with transaction.atomic():
                self.perform(application, data, step)
                if "external_reference" in data:
                    actions.set_external_reference(application=application,
                                                   via_system=self.system,
                                                   reference=data["external_reference"])
        except DjangoPermissionDenied as error:
            raise PermissionDenied(str(error) or None) from None
        return self.detail_response(self.application_or_404(number))

    def perform(self, application, data: dict, step) -> None:
        common = {"application": application, "actor": None, "via_system": self.system}
        action = data["action"]
        if action == "accept":
            actions.accept_application(**common, note=data["note"])
        elif action == "refuse":
            actions.refuse_application(**common, reason=data["reason"])
        elif action == "request_supplement":
            actions.request_supplement(**common, notice=data["notice"])
        elif action == "complete_step":
            actions.complete_application_step(**common, step=step, note=data["note"])
        elif action in ("approve", "deny"):
            actions.decide_application(**common, approve=action == "approve", note=data["note"])
        elif action == "deliver":
            actions.deliver_result(**common, method=data["method"], note=data["note"])
