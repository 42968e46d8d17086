from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.widgets import Button

from . import admin_views
from .viewsets import ContentCheckViewSetGroup


@hooks.register("register_admin_viewset")
def register_content_check_viewsets():
    return ContentCheckViewSetGroup()


@hooks.register("register_admin_urls")
def register_content_check_urls():
    return [
        path("content-checks/lexicon/import/", admin_views.LexiconImportView.as_view(),
             name="publishing_lexicon_import"),
        path("content-checks/pages/<int:page_id>/", admin_views.PageFindingsView.as_view(),
             name="publishing_page_findings"),
        path("content-checks/pages/<int:page_id>/run/", admin_views.RunChecksView.as_view(),
             name="publishing_run_checks"),
        path("content-checks/findings/<int:pk>/override/",
             admin_views.OverrideFindingView.as_view(), name="publishing_override_finding"),
    ]


@hooks.register("register_page_header_buttons")
def page_header_findings_button(page, user, view_name, next_url=None):
    if page.pk and admin_views.may_see_findings(user, page):
        yield Button(_("内容检查"), reverse("publishing_page_findings", args=[page.pk]),
                     icon_name="warning", priority=45)
