"""Admin building blocks every app's screens share, and the read-only audit list (审计记录).

Admin forms only parse input; the change itself goes through an action, and a
``RuleViolation`` the action raises comes back as messages on the form's fields.
"""

import ipaddress
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import django_filters
from django import forms
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied
from django.db.models import Max, UniqueConstraint
from django.http import StreamingHttpResponse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.views.defaults import permission_denied
from django.views.generic import TemplateView
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.mixins import SpreadsheetExportMixin
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import AdminDateTimeInput, HeaderButton
from wagtail.documents.api.admin.views import DocumentsAdminAPIViewSet
from wagtail.images.api.admin.views import ImagesAdminAPIViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import policy_registry

from .audit import record_event
from .audit_export import audit_zone, format_audit_time, stream_csv
from .choices import AuditOutcome
from .exceptions import RuleViolation
from .models import AuditEvent

DATE_ONLY = re.compile(r"\d{4}-\d{2}-\d{2}")
ADDRESS_PREFIX = re.compile(r"[0-9A-Fa-f:.]{1,45}")


@dataclass(frozen=True)
class TimeBound:
    """One end of a searched time range, as typed (``text``) and as understood."""

    moment: datetime
    date_only: bool
    text: str

    def __str__(self) -> str:
        return self.text


def field_for_constraint_message(model, message: str) -> str | None:
    """The field a single-field unique constraint guards, found by its violation message.

    Django reports a violated *conditional* unique constraint as a form-wide error; the
    message still names exactly one field, so the user should see it there.
    """
    if model is None:
        return None
    for constraint in model._meta.constraints:
        if (
            isinstance(constraint, UniqueConstraint)
            and len(constraint.fields) == 1
            and str(constraint.violation_error_message) == message
        ):
            return constraint.fields[0]
    return None


def apply_rule_violation(form: forms.BaseForm, violation: RuleViolation, *, model=None,
                         field_aliases: dict[str, str] | None = None) -> None:
    """Put each message of ``violation`` on the form field it names (form-wide otherwise)."""
    aliases = field_aliases or {}
    for name, messages in violation.errors.items():
        for message in messages:
            field = aliases.get(name, name)
            if field == NON_FIELD_ERRORS:
                field = field_for_constraint_message(model, message) or NON_FIELD_ERRORS
            form.add_error(field if field in form.fields else None, message)


def forbidden(request):
    """A real 403 (Wagtail's admin would turn PermissionDenied into a redirect home)."""
    return permission_denied(request, PermissionDenied())


class RevealPersonalDataView(WagtailAdminTemplateMixin, TemplateView):
    """查看个人信息 (POST only): a record's personal data, shown only after the action that
    audits the look (``reveal``, raising PermissionDenied for who may not), and never stored
    by a cache."""

    header_icon = "user"
    http_method_names = ["post"]

    def reveal(self):
        raise NotImplementedError

    def post(self, request, *args, **kwargs):
        try:
            details = self.reveal()
        except PermissionDenied:
            return forbidden(request)
        response = self.render_to_response(self.get_context_data(details=details))
        response["Cache-Control"] = "no-store, private"
        return response


class PermissionRequiredMixin:
    """A staff view whose ``has_permission(user)`` decides who may open it; anyone else,
    signed in or not, gets 403 before the view does any work."""

    def has_permission(self, user) -> bool:
        raise NotImplementedError

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated or not self.has_permission(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class ActionFormViewMixin:
    """For Wagtail's generic create and edit views whose change is made by an action.

    The generic views hand a ModelForm the instance to fill in; these forms are plain forms, so
    the instance never changes in memory before the action decides.
    """

    #: Form field names copied from the object as the edit form's initial values.
    initial_fields: tuple[str, ...] = ()
    #: Maps an action's error key onto the form field that carries that value.
    field_aliases: dict[str, str] = {}

    def get_initial(self):
        initial = super().get_initial()
        instance = getattr(self, "object", None)
        if instance is not None:
            initial.update({name: getattr(instance, name) for name in self.initial_fields})
        return initial

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.pop("instance", None)
        return kwargs

    def changed_values(self, form) -> dict:
        return {name: form.cleaned_data[name] for name in form.changed_data
                if name in self.initial_fields}

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except RuleViolation as violation:
            apply_rule_violation(form, violation, model=self.model,
                                 field_aliases=self.field_aliases)
            self.produced_error_code = "validation_error"
            self.produced_error_message = self.get_error_message()
            return self.form_invalid(form)


class ActionViewSetMixin:
    """A ModelViewSet limited to the views that have an action behind them.

    Wagtail's default history, usage, copy and delete views would write the model directly or
    show an object without the object-level check, so they are not routed at all.
    """

    enabled_views: tuple[str, ...] = ("add", "edit")
    copy_view_enabled = False

    def get_common_view_kwargs(self, **kwargs):
        disabled = {
            f"{name}_url_name": None
            for name in ("add", "edit", "delete", "history", "usage", "inspect")
            if name not in self.enabled_views
        }
        return super().get_common_view_kwargs(**{**disabled, **kwargs})

    def get_urlpatterns(self):
        routed = {"index", "index_results", *self.enabled_views}
        return [pattern for pattern in super().get_urlpatterns() if pattern.name in routed]


class ReadOnlyPermissionPolicy(ModelPermissionPolicy):
    """Only ``view`` exists for the model; nobody, superusers included, may add, change or
    delete through the admin."""

    def user_has_permission(self, user, action):
        return action == "view" and super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return "view" in actions and self.user_has_permission(user, "view")

    def users_with_any_permission(self, actions):
        if "view" not in actions:
            return super().users_with_any_permission([]).none()
        return super().users_with_any_permission(["view"])


audit_permission_policy = ReadOnlyPermissionPolicy(AuditEvent)


class AuditTimeField(forms.Field):
    """A date (``2026-11-22``) or a date and time (``2026-11-22 09:30``, seconds and an offset
    optional); a time without an offset is read in the platform's zone (Asia/Shanghai)."""

    widget = AdminDateTimeInput
    default_error_messages = {
        "invalid": _("请输入有效的日期或时间，例如 2026-11-22 或 2026-11-22 09:30。"),
    }

    def to_python(self, value) -> TimeBound | None:
        text = (value or "").strip() if isinstance(value, str) else value
        if not text:
            return None
        if isinstance(text, TimeBound):
            return text
        try:
            if DATE_ONLY.fullmatch(text):
                day = date.fromisoformat(text)
                moment = datetime.combine(day, time.min, tzinfo=audit_zone())
                return TimeBound(moment=moment, date_only=True, text=text)
            moment = parse_datetime(text)
        except ValueError:
            moment = None
        if moment is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        if timezone.is_naive(moment):
            moment = moment.replace(tzinfo=audit_zone())
        return TimeBound(moment=moment, date_only=False, text=text)


class AuditTimeFilter(django_filters.Filter):
    """One end of the time range: ``from`` is inclusive; ``to`` is inclusive of a given moment
    and of the whole of a given day."""

    field_class = AuditTimeField

    def __init__(self, *args, end: str, **kwargs):
        self.end = end
        super().__init__(*args, field_name="occurred_at", **kwargs)

    def filter(self, qs, value):
        if value is None:
            return qs
        if self.end == "from":
            return qs.filter(occurred_at__gte=value.moment)
        if value.date_only:
            return qs.filter(occurred_at__lt=value.moment + timedelta(days=1))
        return qs.filter(occurred_at__lte=value.moment)


class ClientAddressField(forms.CharField):
    default_error_messages = {
        "invalid": _("请输入IP地址或其开头部分，例如 10.1.2.3 或 10.1.。"),
    }

    def to_python(self, value):
        value = super().to_python(value).strip()
        if value and not ADDRESS_PREFIX.fullmatch(value):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return value


class ClientAddressFilter(django_filters.CharFilter):
    """A whole address matches itself; a beginning (``10.1.``) matches a network."""

    field_class = ClientAddressField

    def filter(self, qs, value):
        if not value:
            return qs
        try:
            return qs.filter(client_address=str(ipaddress.ip_address(value)))
        except ValueError:
            return qs.filter(client_address__startswith=value.lower())


class ContentTypeChoiceField(django_filters.fields.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name}（{obj.app_label}.{obj.model}）"


class TargetTypeFilter(django_filters.ModelChoiceFilter):
    field_class = ContentTypeChoiceField


def target_types(request):
    used = AuditEvent.objects.order_by().values("target_type").distinct()
    return ContentType.objects.filter(pk__in=used).order_by("app_label", "model")


class AuditEventFilterForm(forms.Form):
    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("occurred_at_from"), cleaned.get("occurred_at_to")
        if start and end and start.moment > end.moment:
            self.add_error("occurred_at_to", _("结束时间不能早于开始时间。"))
        return cleaned


class AuditEventFilterSet(WagtailFilterSet):
    action = django_filters.ChoiceFilter(label=_("操作"), empty_label=_("全部"))
    actor = django_filters.CharFilter(label=_("操作人用户名"), field_name="actor_label",
                                      lookup_expr="iexact")
    target_type = TargetTypeFilter(label=_("对象类型"), queryset=target_types,
                                   empty_label=_("全部"))
    outcome = django_filters.ChoiceFilter(label=_("结果"), choices=AuditOutcome.choices,
                                          empty_label=_("全部"))
    client_address = ClientAddressFilter(label=_("来源地址"))
    occurred_at_from = AuditTimeFilter(label=_("时间从"), end="from")
    occurred_at_to = AuditTimeFilter(label=_("时间至"), end="to")

    class Meta:
        model = AuditEvent
        form = AuditEventFilterForm
        fields = ["action", "actor", "target_type", "outcome", "client_address",
                  "occurred_at_from", "occurred_at_to"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        actions = AuditEvent.objects.order_by("action").values_list("action", flat=True).distinct()
        self.filters["action"].extra["choices"] = [(action, action) for action in actions]


def audit_time_cell(event: AuditEvent) -> str:
    return format_audit_time(event.occurred_at)


class AuditEventIndexView(generic.IndexView):
    """The auditor's search (审计记录查询) and, with ``?export=csv``, export of what it found.

    Everyone else is refused with a 403 (and the refusal is itself recorded).
    """

    any_permission_required = ["view"]
    page_title = _("审计记录")
    default_ordering = "-occurred_at"
    filterset_class = AuditEventFilterSet
    results_template_name = "core/audit/index_results.html"
    # Free text: operator, object or action, matched in the database (records are not indexed).
    search_fields = ["actor_label", "target_label", "action"]
    search_backend_name = None
    # CSV only: Wagtail's XLSX export builds the whole workbook in memory.
    FORMATS = (SpreadsheetExportMixin.FORMAT_CSV,)
    list_display = [
        Column("occurred_at", label=_("时间"), sort_key="occurred_at", accessor=audit_time_cell),
        Column("actor_label", label=_("操作人")),
        Column("action", label=_("操作")),
        Column("target_type", label=_("对象类型")),
        Column("target_label", label=_("对象")),
        Column("client_address", label=_("来源地址")),
        Column("get_outcome_display", label=_("结果")),
    ]

    def dispatch(self, request, *args, **kwargs):
        if not audit_permission_policy.user_has_permission(request.user, "view"):
            record_event("audit.access_denied", actor=request.user,
                         outcome=AuditOutcome.DENIED, data={"path": request.path})
            return permission_denied(request, PermissionDenied())
        return super().dispatch(request, *args, **kwargs)

    def get_base_queryset(self):
        return AuditEvent.objects.select_related("target_type")

    def order_queryset(self, queryset):
        # Events of the same instant are told apart by their key, so that consecutive pages of
        # the listing never overlap or skip one.
        queryset = super().order_queryset(queryset)
        return queryset.order_by(*queryset.query.order_by, "-pk")

    @cached_property
    def filters_are_invalid(self) -> bool:
        return bool(self.filters) and not self.filters.is_valid()

    def filter_queryset(self, queryset):
        if self.filters_are_invalid:
            return queryset.none()  # a filter that was not understood shows nothing, not all
        return super().filter_queryset(queryset)

    def filter_errors(self) -> list[tuple[str, list[str]]]:
        if not self.filters_are_invalid:
            return []
        form = self.filters.form
        return [(str(form.fields[name].label) if name in form.fields else str(_("筛选条件")),
                 [str(message) for message in messages])
                for name, messages in form.errors.items()]

    def used_filter(self) -> dict[str, str]:
        """The search and filters in force, as the request gave them."""
        names = [self.search_kwarg, *(self.filters.form.fields if self.filters else ())]
        return {name: self.request.GET[name] for name in names if self.request.GET.get(name)}

    @property
    def csv_export_url(self):
        params = self.request.GET.copy()
        for name in (self.page_kwarg, "_w_filter_fragment", "export"):
            params.pop(name, None)
        params["export"] = SpreadsheetExportMixin.FORMAT_CSV
        return f"{self.index_url}?{params.urlencode()}"

    @cached_property
    def header_buttons(self):
        return [*super().header_buttons,
                HeaderButton(_("导出 CSV"), url=self.csv_export_url, icon_name="download")]

    def get(self, request, *args, **kwargs):
        if self.is_export and not self.filters_are_invalid:
            return self.export_csv()
        self.is_export = False
        response = super().get(request, *args, **kwargs)
        if self.filters_are_invalid and request.GET.get("export"):
            response.status_code = 400
        return response

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        context["filter_errors"] = self.filter_errors()
        return context

    def export_csv(self) -> StreamingHttpResponse:
        """Stream the records found, oldest last, as CSV; the export itself is recorded."""
        last = AuditEvent.objects.aggregate(last=Max("pk"))["last"] or 0
        queryset = self.get_queryset().filter(pk__lte=last)  # not what is recorded meanwhile
        rows = queryset.count()
        record_event("audit.export", actor=self.request.user,
                     data={"filter": self.used_filter(), "rows": rows, "format": "csv"})
        response = StreamingHttpResponse(stream_csv(queryset),
                                         content_type="text/csv; charset=utf-8")
        stamp = timezone.now().astimezone(audit_zone()).strftime("%Y%m%d-%H%M%S")
        response["Content-Disposition"] = (
            f'attachment; filename="audit-events-{stamp}.csv"')
        response["Cache-Control"] = "no-store"
        return response


class AuditEventViewSet(ActionViewSetMixin, ModelViewSet):
    model = AuditEvent
    enabled_views = ()
    index_view_class = AuditEventIndexView
    icon = "history"
    menu_label = _("审计记录")
    menu_name = "audit-events"
    menu_order = 9000
    add_to_admin_menu = True
    add_to_reference_index = False
    list_per_page = 50

    def get_form_class(self, for_update=False):
        return None

    def get_permissions_to_register(self):
        return super().get_permissions_to_register().filter(codename="view_auditevent")


# Wagtail admin routes that answer about objects the user has no permission on. Each is closed
# here and proved closed by the permission sweep (sitecluster/tests/test_permissions_sweep.py).


def visible_instances(user, model):
    """What ``user`` may see of ``model`` in the admin: explorable pages, or documents and
    images in collections where they may change or choose them."""
    policy = policy_registry.get_by_type(model)
    if hasattr(policy, "explorable_instances"):
        return policy.explorable_instances(user)
    return policy.instances_user_has_any_permission_for(user, ["change", "choose"])


class RefuseUnseenItemsMixin:
    """Wagtail's bulk-action confirmation names, by title, the items the user may not act on;
    for items the user may not even see, that names another body's content, so the request is
    refused instead."""

    def get_actionable_objects(self):
        objects, extra = super().get_actionable_objects()
        denied = [item.pk for item in extra.get("items_with_no_access", [])]
        if denied:
            visible = visible_instances(self.request.user, self.model).filter(pk__in=denied)
            if visible.count() < len(set(denied)):
                raise PermissionDenied
        return objects, extra


def refusing_unseen_items(action_class):
    """``action_class`` with the refusal of :class:`RefuseUnseenItemsMixin`."""
    return type(action_class.__name__, (RefuseUnseenItemsMixin, action_class),
                {"__module__": __name__})


class VisibleDocumentsAdminAPIViewSet(DocumentsAdminAPIViewSet):
    """Wagtail's admin API lists every document outside private collections to any admin
    user; only those in the user's collections are listed here."""

    def get_queryset(self):
        visible = visible_instances(self.request.user, self.model)
        return super().get_queryset().filter(pk__in=visible.values("pk"))


class VisibleImagesAdminAPIViewSet(ImagesAdminAPIViewSet):
    def get_queryset(self):
        visible = visible_instances(self.request.user, self.model)
        return super().get_queryset().filter(pk__in=visible.values("pk"))
