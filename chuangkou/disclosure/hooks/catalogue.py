"""Admin and publication hooks of the disclosure catalogue."""

from django.contrib import messages
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.widgets import Button

from chuangkou.core.admin_menu import PermissionMenuItem
from chuangkou.core.calendar import working_calendar

from ..admin_views import catalogue as views
from ..catalogue_data import PLATFORM_COLUMNS
from ..choices import DisclosureAttribute
from ..exceptions import DisclosurePublicationRefused
from ..models import DisclosurePlatformPage, DisclosureRecord
from ..queries.catalogue import (
    bodies_keeping_records,
    pending_disclosures,
    published_record_for_page,
)
from .menu import DISCLOSURE_MENU_HOOK

FIXED_COLUMN_SLUGS = frozenset(column.slug for column in PLATFORM_COLUMNS)


def withheld_publication_message(page) -> str | None:
    """Why ``page`` may not be published: its 公开属性 is not 主动公开 (None if it may)."""
    record = (DisclosureRecord.objects.filter(page_id=page.pk)
              .exclude(attribute=DisclosureAttribute.PROACTIVE).first())
    if record is None:
        return None
    return _("发布被阻止：该文件的公开属性为“%(attribute)s”，不能在网站上发布。"
             "如需公开，请先在“公开目录信息”中将公开属性改为主动公开。") % {
        "attribute": record.get_attribute_display()}


@hooks.register("before_publish_revision")
def refuse_publishing_withheld_documents(*, page, revision, user):
    """Every publication path (editor, last review step, scheduler) refuses a page whose
    catalogue record is 依申请公开 or 不予公开."""
    message = withheld_publication_message(page)
    if message:
        raise DisclosurePublicationRefused({"__all__": [message]})


@hooks.register("before_publish_page")
def refuse_publishing_withheld_documents_in_editor(request, page):
    message = withheld_publication_message(page)
    if message:
        messages.error(request, message)
        return redirect("wagtailadmin_pages:edit", page.pk)
    return None


def is_fixed_platform_page(page) -> bool:
    """The platform page and its four fixed first-level columns (政府信息公开目录系统实施指引)."""
    if issubclass(page.specific_class or type(page), DisclosurePlatformPage):
        return True
    if page.slug not in FIXED_COLUMN_SLUGS or page.depth < 2:
        return False
    parent = page.get_parent()
    return parent is not None and issubclass(parent.specific_class or type(parent),
                                             DisclosurePlatformPage)


FIXED_PAGE_REFUSED = gettext_lazy(
    "政府信息公开平台及其四个固定栏目（指南、制度、法定主动公开内容、年报）不能删除或移动。")


@hooks.register("before_delete_page")
def refuse_deleting_fixed_platform_pages(request, page):
    if is_fixed_platform_page(page):
        messages.error(request, FIXED_PAGE_REFUSED)
        return redirect("wagtailadmin_explore", page.get_parent().pk)
    return None


@hooks.register("before_move_page")
def refuse_moving_fixed_platform_pages(request, page, destination):
    if is_fixed_platform_page(page):
        messages.error(request, FIXED_PAGE_REFUSED)
        return redirect("wagtailadmin_explore", page.get_parent().pk)
    return None


@hooks.register("before_bulk_action")
def refuse_bulk_changes_to_fixed_platform_pages(request, action_type, objects,
                                               action_class_instance):
    if action_type not in ("delete", "move"):
        return None
    if any(is_fixed_platform_page(page) for page in objects):
        messages.error(request, FIXED_PAGE_REFUSED)
        return redirect(request.GET.get("next") or "wagtailadmin_explore_root")
    return None


@hooks.register("article_fragments")
def disclosure_metadata_table(*, request, page) -> str:
    record = published_record_for_page(page)
    if record is None:
        return ""
    return render_to_string("disclosure/catalogue/metadata_table.html",
                            {"record": record, "request": request, "page": page})


@hooks.register("register_page_header_buttons")
def page_header_record_button(page, user, view_name, next_url=None):
    if view_name == "edit" and views.may_keep_record(user, page):
        yield Button(_("公开目录信息"), reverse("disclosure_catalogue_record", args=[page.pk]),
                     icon_name="doc-full", priority=50)


@hooks.register("register_admin_urls")
def register_catalogue_urls():
    return [
        path("disclosure/catalogue/pages/<int:page_id>/record/", views.RecordFormView.as_view(),
             name="disclosure_catalogue_record"),
        path("disclosure/catalogue/records/", views.RecordIndexView.as_view(),
             name="disclosure_catalogue_records"),
        path("disclosure/catalogue/records/<int:pk>/validity/", views.ValidityView.as_view(),
             name="disclosure_catalogue_validity"),
        path("disclosure/catalogue/pending/", views.PendingDisclosureView.as_view(),
             name="disclosure_catalogue_pending"),
        path("disclosure/catalogue/categories/", views.CategoryIndexView.as_view(),
             name="disclosure_catalogue_categories"),
        path("disclosure/catalogue/categories/add/", views.CategoryCreateView.as_view(),
             name="disclosure_catalogue_category_add"),
        path("disclosure/catalogue/categories/<int:pk>/", views.CategoryEditView.as_view(),
             name="disclosure_catalogue_category_edit"),
    ]


@hooks.register(DISCLOSURE_MENU_HOOK)
def register_records_menu_item():
    return PermissionMenuItem(_("公开目录信息"), reverse("disclosure_catalogue_records"),
                              name="disclosure-records", icon_name="list-ul", order=100,
                              shown_to=views.may_see_catalogue_admin)


@hooks.register(DISCLOSURE_MENU_HOOK)
def register_pending_menu_item():
    return PermissionMenuItem(_("待公开信息"), reverse("disclosure_catalogue_pending"),
                              name="disclosure-pending", icon_name="time", order=110,
                              shown_to=views.may_see_catalogue_admin)


@hooks.register(DISCLOSURE_MENU_HOOK)
def register_categories_menu_item():
    return PermissionMenuItem(_("目录分类"), reverse("disclosure_catalogue_categories"),
                              name="disclosure-categories", icon_name="folder-open-inverse",
                              order=120, shown_to=views.may_keep_categories)


@hooks.register("construct_homepage_panels")
def add_pending_disclosure_panel(request, panels):
    bodies = bodies_keeping_records(request.user)
    if not bodies.exists():
        return
    pending = pending_disclosures(bodies=bodies, today=timezone.localdate(),
                                  calendar=working_calendar())
    if pending:
        panels.append(views.PendingDisclosurePanel(pending))
