"""Admin screen for the working-day calendar (工作日历), under Settings, for system
administrators. Model permissions from the role table decide who gets in; every change goes
through ``actions``."""

import django_filters
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet

from .actions import remove_working_day_override, set_working_day_override
from .admin_forms import WorkingDayOverrideEditForm, WorkingDayOverrideForm
from .admin_views import ActionFormViewMixin, ActionViewSetMixin
from .models import WorkingDayOverride

WEEKDAYS = (_("星期一"), _("星期二"), _("星期三"), _("星期四"), _("星期五"), _("星期六"),
            _("星期日"))


def weekday_name(override: WorkingDayOverride) -> str:
    return str(WEEKDAYS[override.date.weekday()])


def working_status(override: WorkingDayOverride) -> str:
    return str(_("上班") if override.is_working_day else _("放假"))


class WorkingDayOverrideFilterSet(WagtailFilterSet):
    year = django_filters.NumberFilter(label=_("年度"), field_name="date", lookup_expr="year")

    class Meta:
        model = WorkingDayOverride
        fields = ["year"]


class WorkingDayOverrideIndexView(generic.IndexView):
    page_title = _("工作日历")
    default_ordering = "date"
    filterset_class = WorkingDayOverrideFilterSet
    search_fields = ["name", "source"]
    search_backend_name = None  # a few dozen rows a year: matched in the database

    @cached_property
    def columns(self):
        return [
            self._get_title_column_class(TitleColumn)(
                "date", label=_("日期"), get_url=self.get_edit_url, sort_key="date"),
            Column("weekday", label=_("星期"), accessor=weekday_name),
            Column("is_working_day", label=_("当天"), accessor=working_status),
            Column("name", label=_("名称")),
            Column("source", label=_("依据")),
        ]


class WorkingDayOverrideCreateView(ActionFormViewMixin, generic.CreateView):
    page_title = _("新增工作日调整")
    success_message = _("已设置“%(object)s”。")
    error_message = _("调整未能保存，请检查下面标出的问题。")

    def save_instance(self):
        data = self.form.cleaned_data
        return set_working_day_override(
            day=data["date"], is_working_day=data["is_working_day"], name=data["name"],
            source=data["source"], actor=self.request.user)


class WorkingDayOverrideEditView(ActionFormViewMixin, generic.EditView):
    initial_fields = ("date", "is_working_day", "name", "source")
    success_message = _("已保存“%(object)s”。")
    error_message = _("调整未能保存，请检查下面标出的问题。")

    def save_instance(self):
        if not self.form.has_changed():
            return self.object
        data = self.form.cleaned_data
        return set_working_day_override(
            day=self.object.date, is_working_day=data["is_working_day"], name=data["name"],
            source=data["source"], actor=self.request.user)


class WorkingDayOverrideDeleteView(generic.DeleteView):
    page_title = _("删除工作日调整")
    success_message = _("已删除“%(object)s”。")

    @property
    def confirmation_message(self):
        return _("确定删除“%(override)s”吗？删除后该日按法定日历或周一至周五计算。") % {
            "override": self.object}

    def delete_action(self):
        remove_working_day_override(override=self.object, actor=self.request.user)


class WorkingDayOverrideViewSet(ActionViewSetMixin, ModelViewSet):
    model = WorkingDayOverride
    icon = "date"
    menu_label = _("工作日历")
    menu_name = "working-calendar"
    add_to_settings_menu = True
    add_to_reference_index = False
    enabled_views = ("add", "edit", "delete")
    index_view_class = WorkingDayOverrideIndexView
    add_view_class = WorkingDayOverrideCreateView
    edit_view_class = WorkingDayOverrideEditView
    delete_view_class = WorkingDayOverrideDeleteView
    list_per_page = 50

    def get_form_class(self, for_update=False):
        return WorkingDayOverrideEditForm if for_update else WorkingDayOverrideForm
