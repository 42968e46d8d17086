from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import Menu, SubmenuMenuItem
from wagtail.admin.widgets import Button
from wagtail.permissions import register_permission_policy

from chuangkou.core.admin_menu import PermissionMenuItem

from . import admin_views
from .models import ArticlePage, ClusterSite, ColumnPage, PortalHomePage, SiteHomePage
from .viewsets import ClusterPageViewSet, ClusterSiteViewSet, cluster_site_permission_policy

# Registered before any viewset asks the registry, which would otherwise fix a model-level
# fallback policy and let a site administrator reach every site.
register_permission_policy(ClusterSite, cluster_site_permission_policy)


@hooks.register("register_admin_viewset")
def register_cluster_site_viewset():
    return ClusterSiteViewSet("cluster_sites")


@hooks.register("register_admin_viewset")
def register_page_viewsets():
    return [ClusterPageViewSet(model=model)
            for model in (PortalHomePage, SiteHomePage, ColumnPage, ArticlePage)]


@hooks.register("register_admin_urls")
def register_submission_urls():
    return [
        path("submissions/submit/<int:page_id>/", admin_views.SubmitArticleView.as_view(),
             name="sitecluster_submit_article"),
        path("submissions/inbox/", admin_views.SubmissionInboxView.as_view(),
             name="sitecluster_submission_inbox"),
        path("submissions/<int:pk>/adopt/", admin_views.AdoptSubmissionView.as_view(),
             name="sitecluster_adopt_submission"),
        path("submissions/<int:pk>/decline/", admin_views.DeclineSubmissionView.as_view(),
             name="sitecluster_decline_submission"),
        path("submissions/ours/", admin_views.OwnSubmissionsView.as_view(),
             name="sitecluster_own_submissions"),
        path("submissions/report/", admin_views.AdoptionReportView.as_view(),
             name="sitecluster_adoption_report"),
    ]


@hooks.register("register_admin_menu_item")
def register_submission_menu():
    menu = Menu(items=[
        PermissionMenuItem(_("待采用的报送"), reverse("sitecluster_submission_inbox"),
                           name="submission-inbox", icon_name="tasks", order=100,
                           shown_to=admin_views.may_decide_submissions),
        PermissionMenuItem(_("本单位报送"), reverse("sitecluster_own_submissions"),
                           name="own-submissions", icon_name="upload", order=200,
                           shown_to=admin_views.may_see_own_submissions),
        PermissionMenuItem(_("报送采用情况"), reverse("sitecluster_adoption_report"),
                           name="adoption-report", icon_name="table", order=300,
                           shown_to=admin_views.may_see_adoption_report),
    ])
    return SubmenuMenuItem(_("信息报送"), menu, name="submissions", icon_name="upload",
                           order=7800)


def submit_button(page, user, priority):
    if admin_views.may_submit(user, page):
        yield Button(_("报送到门户"), reverse("sitecluster_submit_article", args=[page.pk]),
                     icon_name="upload", priority=priority)


@hooks.register("register_page_header_buttons")
def page_header_submit_button(page, user, view_name, next_url=None):
    yield from submit_button(page, user, priority=40)


@hooks.register("register_page_listing_more_buttons")
def page_listing_submit_button(page, user, next_url=None):
    yield from submit_button(page, user, priority=35)
