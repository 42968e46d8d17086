"""Admin screens of the disclosure catalogue: a page's 公开目录信息, the records of the user's
bodies, the 待公开信息 dashboard (条例 第二十六条), validity, and the bodies' own categories.

Every view checks the user's role in the body concerned itself; the menu only hides what a
user cannot use. Changes go through the actions.
"""

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView
from wagtail.admin import messages
from wagtail.admin.ui.components import Component
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.models import Page

from chuangkou.core.admin_views import PermissionRequiredMixin, apply_rule_violation
from chuangkou.core.calendar import working_calendar
from chuangkou.sitecluster.models import ArticlePage

from ..actions.catalogue import (
    add_catalogue_category,
    change_document_validity,
    register_disclosure_document,
    rename_catalogue_category,
    set_catalogue_category_active,
    update_disclosure_record,
)
from ..choices import CategoryScheme
from ..exceptions import DisclosureRuleViolation
from ..forms.catalogue import (
    CategoryCreateForm,
    CategoryEditForm,
    DisclosureRecordForm,
    DocumentValidityForm,
)
from ..models import CatalogueCategory, DisclosureRecord
from ..queries.catalogue import (
    bodies_keeping_categories,
    bodies_keeping_records,
    categories_for,
    pending_disclosures,
    record_for_page,
    record_keeping_bodies_for_page,
    records_of_bodies,
)

PER_PAGE = 30
RECORD_FIELDS = ("body", "category", "written_on", "formed_on", "document_number", "theme",
                 "genre", "audience", "attribute", "withheld_reason", "method", "summary")


def is_disclosure_document_page(page) -> bool:
    return issubclass(page.specific_class or type(page), ArticlePage)


def may_keep_record(user, page) -> bool:
    """Whether ``user`` may create or edit the catalogue record of ``page``."""
    return (getattr(user, "is_authenticated", False) and page.pk is not None
            and is_disclosure_document_page(page)
            and record_keeping_bodies_for_page(user, page).exists())


def may_see_catalogue_admin(user) -> bool:
    return getattr(user, "is_authenticated", False) and bodies_keeping_records(user).exists()


def may_keep_categories(user) -> bool:
    return getattr(user, "is_authenticated", False) and bodies_keeping_categories(user).exists()


class RecordFormView(PermissionRequiredMixin, WagtailAdminTemplateMixin, FormView):
    """公开目录信息: create or edit the catalogue record of one article."""

    template_name = "disclosure/catalogue/admin/record_form.html"
    form_class = DisclosureRecordForm
    page_title = gettext_lazy("公开目录信息")
    header_icon = "doc-full"

    def has_permission(self, user):
        self.page = get_object_or_404(Page, pk=self.kwargs["page_id"])
        if not may_keep_record(user, self.page):
            return False
        self.record = record_for_page(self.page)
        self.bodies = record_keeping_bodies_for_page(user, self.page)
        return True

    def get_page_subtitle(self):
        return self.page.title

    def get_form_kwargs(self):
        category_ids = {category.pk for body in self.bodies for category in categories_for(body)}
        if self.record is not None:
            category_ids.add(self.record.category_id)
        return {**super().get_form_kwargs(), "bodies": self.bodies,
                "categories": CatalogueCategory.objects.filter(pk__in=category_ids)
                .select_related("parent").order_by("scheme", "sort_order", "pk")}

    def get_initial(self):
        if self.record is None:
            today = timezone.localdate()
            return {"written_on": today, "formed_on": today,
                    "body": self.bodies.first()}
        return {name: getattr(self.record, name) for name in RECORD_FIELDS}

    def form_valid(self, form):
        data = {name: form.cleaned_data[name] for name in RECORD_FIELDS}
        try:
            if self.record is None:
                record = register_disclosure_document(page=self.page, actor=self.request.user,
                                                      **data)
                messages.success(self.request, _("已登记为公开目录信息，索引号 %(number)s。") % {
                    "number": record.index_number})
            else:
                update_disclosure_record(record=self.record, actor=self.request.user, **data)
                messages.success(self.request, _("公开目录信息已保存。"))
        except DisclosureRuleViolation as violation:
            apply_rule_violation(form, violation, field_aliases={"page": "__all__"})
            return self.form_invalid(form)
        return redirect("disclosure_catalogue_record", page_id=self.page.pk)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(record=self.record, subject=self.page,
                       edit_url=reverse("wagtailadmin_pages:edit", args=[self.page.pk]))
        return context


class RecordIndexView(PermissionRequiredMixin, WagtailAdminTemplateMixin, TemplateView):
    """公开目录信息列表: the records of the user's bodies."""

    template_name = "disclosure/catalogue/admin/records_index.html"
    page_title = gettext_lazy("公开目录信息")
    header_icon = "list-ul"

    def has_permission(self, user):
        return may_see_catalogue_admin(user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        records = records_of_bodies(bodies_keeping_records(self.request.user))
        page = Paginator(records, PER_PAGE).get_page(self.request.GET.get("p"))
        context.update(page_obj=page, records=page.object_list)
        return context


class PendingDisclosureView(PermissionRequiredMixin, WagtailAdminTemplateMixin, TemplateView):
    """待公开信息: proactive documents formed but not yet published, overdue first."""

    template_name = "disclosure/catalogue/admin/pending.html"
    page_title = gettext_lazy("待公开信息")
    header_icon = "time"

    def has_permission(self, user):
        return may_see_catalogue_admin(user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["pending"] = pending_disclosures(
            bodies=bodies_keeping_records(self.request.user), today=timezone.localdate(),
            calendar=working_calendar())
        return context


class ValidityView(PermissionRequiredMixin, WagtailAdminTemplateMixin, FormView):
    """有效性: mark a document lapsed or repealed, naming the one that replaces it."""

    template_name = "disclosure/catalogue/admin/validity_form.html"
    form_class = DocumentValidityForm
    page_title = gettext_lazy("文件有效性")
    header_icon = "history"

    def has_permission(self, user):
        self.record = get_object_or_404(DisclosureRecord.objects.select_related("page", "body"),
                                        pk=self.kwargs["pk"])
        return bodies_keeping_records(user).filter(pk=self.record.body_id).exists()

    def get_page_subtitle(self):
        return self.record.title

    def get_form_kwargs(self):
        candidates = (DisclosureRecord.objects.filter(body__in=bodies_keeping_records(
            self.request.user)).exclude(pk=self.record.pk).order_by("-written_on", "-pk"))
        return {**super().get_form_kwargs(), "candidates": candidates}

    def get_initial(self):
        return {"validity": self.record.validity, "replaced_by": self.record.replaced_by_id,
                "changed_on": self.record.validity_changed_on or timezone.localdate()}

    def form_valid(self, form):
        try:
            change_document_validity(record=self.record, actor=self.request.user,
                                     **form.cleaned_data)
        except DisclosureRuleViolation as violation:
            apply_rule_violation(form, violation)
            return self.form_invalid(form)
        messages.success(self.request, _("有效性已更新。"))
        return redirect("disclosure_catalogue_records")

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "record": self.record,
                "cancel_url": reverse("disclosure_catalogue_records")}


class CategoryIndexView(PermissionRequiredMixin, WagtailAdminTemplateMixin, TemplateView):
    """目录分类: the statutory categories (read only) and the user's bodies' own ones."""

    template_name = "disclosure/catalogue/admin/categories.html"
    page_title = gettext_lazy("公开目录分类")
    header_icon = "folder-open-inverse"

    def has_permission(self, user):
        return may_keep_categories(user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        bodies = bodies_keeping_categories(self.request.user)
        context.update(
            statutory=CatalogueCategory.objects.filter(body__isnull=True)
            .order_by("sort_order", "pk"),
            own=CatalogueCategory.objects.filter(body__in=bodies)
            .select_related("body", "parent").order_by("body__path", "scheme", "sort_order"),
        )
        return context


class CategoryCreateView(PermissionRequiredMixin, WagtailAdminTemplateMixin, FormView):
    template_name = "disclosure/catalogue/admin/category_form.html"
    form_class = CategoryCreateForm
    page_title = gettext_lazy("新增分类")
    header_icon = "folder-open-inverse"

    def has_permission(self, user):
        return may_keep_categories(user)

    def get_form_kwargs(self):
        bodies = bodies_keeping_categories(self.request.user)
        parents = CatalogueCategory.objects.filter(is_active=True).filter(
            body__isnull=True) | CatalogueCategory.objects.filter(is_active=True, body__in=bodies)
        return {**super().get_form_kwargs(), "bodies": bodies,
                "parents": parents.select_related("parent").order_by("scheme", "sort_order")}

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            add_catalogue_category(body=data["body"], name=data["name"], code=data["code"],
                                   parent=data["parent"],
                                   scheme=data["scheme"] or CategoryScheme.STATUTORY,
                                   actor=self.request.user)
        except DisclosureRuleViolation as violation:
            apply_rule_violation(form, violation)
            return self.form_invalid(form)
        messages.success(self.request, _("已新增分类“%(name)s”。") % {"name": data["name"]})
        return redirect("disclosure_catalogue_categories")

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs),
                "cancel_url": reverse("disclosure_catalogue_categories")}


class CategoryEditView(PermissionRequiredMixin, WagtailAdminTemplateMixin, FormView):
    template_name = "disclosure/catalogue/admin/category_form.html"
    form_class = CategoryEditForm
    page_title = gettext_lazy("修改分类")
    header_icon = "folder-open-inverse"

    def has_permission(self, user):
        self.category = get_object_or_404(CatalogueCategory, pk=self.kwargs["pk"])
        return (self.category.body_id is not None
                and bodies_keeping_categories(user).filter(pk=self.category.body_id).exists())

    def get_page_subtitle(self):
        return self.category.name

    def get_initial(self):
        return {"name": self.category.name, "is_active": self.category.is_active}

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            if data["name"] != self.category.name:
                rename_catalogue_category(category=self.category, name=data["name"],
                                          actor=self.request.user)
            if data["is_active"] != self.category.is_active:
                set_catalogue_category_active(category=self.category, active=data["is_active"],
                                              actor=self.request.user)
        except DisclosureRuleViolation as violation:
            apply_rule_violation(form, violation)
            return self.form_invalid(form)
        messages.success(self.request, _("分类已保存。"))
        return redirect("disclosure_catalogue_categories")

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs),
                "cancel_url": reverse("disclosure_catalogue_categories")}


class PendingDisclosurePanel(Component):
    """Admin home panel: how many proactive documents of the user's bodies wait to be
    published, and how many are past the 第二十六条 deadline."""

    name = "disclosure_pending"
    template_name = "disclosure/catalogue/admin/home_panel.html"
    order = 150

    def __init__(self, pending):
        self.pending = pending

    def get_context_data(self, parent_context):
        return {"pending_count": len(self.pending),
                "overdue_count": sum(1 for item in self.pending if item.overdue),
                "due_soon": self.pending[:5],
                "dashboard_url": reverse("disclosure_catalogue_pending")}
