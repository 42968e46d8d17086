"""Admin screens for the tree of bodies (机构) and staff roles (机构角色), for system
administrators. Model permissions from the role table decide who gets in; every change goes
through ``actions``."""

import django_filters
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup

from chuangkou.core.admin_views import ActionFormViewMixin, ActionViewSetMixin

from .actions import BODY_FIELDS, add_membership, create_body, remove_membership, update_body
from .choices import Role
from .forms import BodyChoiceField, BodyCreateForm, BodyForm, MembershipForm, indented_body_name
from .models import Body, Membership
from .queries import body_tree


class BodyIndexView(generic.IndexView):
    page_title = _("机构")
    default_ordering = "path"

    def get_base_queryset(self):
        return body_tree()

    @cached_property
    def columns(self):
        return [
            self._get_title_column_class(TitleColumn)(
                "name", label=_("全称"), accessor=indented_body_name, get_url=self.get_edit_url,
            ),
            Column("short_name", label=_("简称")),
            Column("get_kind_display", label=_("机构类型")),
            Column("credit_code", label=_("统一社会信用代码")),
            Column("division_code", label=_("行政区划代码")),
        ]


class BodyCreateView(ActionFormViewMixin, generic.CreateView):
    page_title = _("新建机构")
    success_message = _("已新建机构“%(object)s”。")
    error_message = _("机构未能保存，请检查下面标出的问题。")

    def save_instance(self):
        data = self.form.cleaned_data
        return create_body(parent=data["parent"], actor=self.request.user,
                           **{name: data[name] for name in BODY_FIELDS})


class BodyEditView(ActionFormViewMixin, generic.EditView):
    initial_fields = BODY_FIELDS
    success_message = _("已保存机构“%(object)s”。")
    error_message = _("机构未能保存，请检查下面标出的问题。")

    def save_instance(self):
        changes = self.changed_values(self.form)
        if not changes:
            return self.object
        # A fresh copy, so a refused change leaves the object this page shows untouched.
        return update_body(body=Body.objects.get(pk=self.object.pk), actor=self.request.user,
                           **changes)


class BodyViewSet(ActionViewSetMixin, ModelViewSet):
    model = Body
    icon = "group"
    menu_label = _("机构")
    menu_name = "bodies"
    add_to_reference_index = False
    index_view_class = BodyIndexView
    add_view_class = BodyCreateView
    edit_view_class = BodyEditView
    list_per_page = 100

    def get_form_class(self, for_update=False):
        return BodyForm if for_update else BodyCreateForm


class BodyFilter(django_filters.ModelChoiceFilter):
    field_class = BodyChoiceField


class MembershipFilterSet(WagtailFilterSet):
    body = BodyFilter(
        label=_("机构"), field_name="body", queryset=lambda request: body_tree(),
        empty_label=_("全部"),
    )
    role = django_filters.ChoiceFilter(label=_("角色"), choices=Role.choices,
                                       empty_label=_("全部"))

    class Meta:
        model = Membership
        fields = ["body", "role"]


class MembershipIndexView(generic.IndexView):
    page_title = _("机构角色")
    default_ordering = "body__path"
    filterset_class = MembershipFilterSet

    def get_base_queryset(self):
        return Membership.objects.select_related("user", "body")

    def order_queryset(self, queryset):
        return queryset.order_by("body__path", "role", "user__username")

    @cached_property
    def columns(self):
        return [
            self._get_title_column_class(TitleColumn)(
                "user", label=_("工作人员"), accessor="user.get_username",
                get_url=lambda membership: None,
            ),
            Column("body", label=_("机构")),
            Column("get_role_display", label=_("角色")),
            DateColumn("created_at", label=_("加入时间")),
        ]


class MembershipCreateView(ActionFormViewMixin, generic.CreateView):
    page_title = _("授予角色")
    success_message = _("已授予角色：%(object)s。")
    error_message = _("角色未能授予，请检查下面标出的问题。")

    def save_instance(self):
        data = self.form.cleaned_data
        return add_membership(user=data["user"], body=data["body"], role=data["role"],
                              actor=self.request.user)

    def get_success_buttons(self):
        return []


class MembershipDeleteView(generic.DeleteView):
    page_title = _("撤销角色")
    success_message = _("已撤销角色：%(object)s。")

    @property
    def confirmation_message(self):
        return _("确定要撤销“%(membership)s”吗？该工作人员将立即失去相应权限。") % {
            "membership": self.object}

    def delete_action(self):
        remove_membership(membership=self.object, actor=self.request.user)


class MembershipViewSet(ActionViewSetMixin, ModelViewSet):
    model = Membership
    icon = "user"
    menu_label = _("机构角色")
    menu_name = "memberships"
    add_to_reference_index = False
    enabled_views = ("add", "delete")
    index_view_class = MembershipIndexView
    add_view_class = MembershipCreateView
    delete_view_class = MembershipDeleteView
    list_per_page = 50

    def get_form_class(self, for_update=False):
        return MembershipForm


class OrganizationViewSetGroup(ModelViewSetGroup):
    menu_label = _("机构与人员")
    menu_name = "organizations"
    menu_icon = "group"
    menu_order = 8000
    items = (BodyViewSet("bodies"), MembershipViewSet("memberships"))

