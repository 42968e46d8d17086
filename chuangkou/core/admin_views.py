"""Admin building blocks every app's screens share, and the read-only audit list (审计记录).

Admin forms only parse input; the change itself goes through an action, and a
``RuleViolation`` the action raises comes back as messages on the form's fields.
"""

import django_filters
from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied
from django.db.models import UniqueConstraint
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.documents.api.admin.views import DocumentsAdminAPIViewSet
from wagtail.images.api.admin.views import ImagesAdminAPIViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import policy_registry

from .exceptions import RuleViolation
from .models import AuditEvent


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


class AuditEventFilterSet(WagtailFilterSet):
    action = django_filters.ChoiceFilter(label=_("操作"), empty_label=_("全部"))
    actor = django_filters.CharFilter(label=_("操作人用户名"), field_name="actor_label",
                                      lookup_expr="iexact")
    occurred_at = django_filters.DateFromToRangeFilter(label=_("时间"),
                                                       widget=DateRangePickerWidget)

    class Meta:
        model = AuditEvent
        fields = ["action", "actor", "occurred_at"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        actions = AuditEvent.objects.order_by("action").values_list("action", flat=True).distinct()
        self.filters["action"].extra["choices"] = [(action, action) for action in actions]


class AuditEventIndexView(generic.IndexView):
    any_permission_required = ["view"]
    page_title = _("审计记录")
    default_ordering = "-occurred_at"
    filterset_class = AuditEventFilterSet
    list_display = [
        Column("occurred_at", label=_("时间"), sort_key="occurred_at"),
        Column("actor_label", label=_("操作人")),
        Column("action", label=_("操作")),
        Column("target_label", label=_("对象")),
        Column("client_address", label=_("来源地址")),
        Column("get_outcome_display", label=_("结果")),
    ]

    def get_base_queryset(self):
        return AuditEvent.objects.all()

    def order_queryset(self, queryset):
        # Events of the same instant are told apart by their key, so that consecutive pages of
        # the listing never overlap or skip one.
        queryset = super().order_queryset(queryset)
        return queryset.order_by(*queryset.query.order_by, "-pk")


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
