"""Admin URLs, menu item and home panel of 来信办理 (letter staff only)."""

from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from chuangkou.core.admin_menu import PermissionMenuItem
from chuangkou.core.calendar import working_calendar

from ..admin_views import letters as views
from ..queries.worklists import may_use_letters, todo_counts
from .menu import MAILBOX_MENU_HOOK


@hooks.register("register_admin_urls")
def register_letter_urls():
    return [
        path("mailbox/letters/", views.LetterListView.as_view(), name="mailbox_letters"),
        path("mailbox/letters/<slug:number>/", views.LetterDetailView.as_view(),
             name="mailbox_letter_detail"),
        path("mailbox/letters/<slug:number>/writer/", views.RevealWriterView.as_view(),
             name="mailbox_letter_writer"),
        path("mailbox/letters/<slug:number>/attachments/<int:pk>/",
             views.AttachmentView.as_view(), name="mailbox_letter_attachment"),
        path("mailbox/letters/<slug:number>/<slug:action>/", views.LetterActionView.as_view(),
             name="mailbox_letter_action"),
    ]


@hooks.register(MAILBOX_MENU_HOOK)
def register_letters_menu_item():
    return PermissionMenuItem(_("来信办理"), reverse("mailbox_letters"), name="mailbox-letters",
                              icon_name="mail", order=100, shown_to=may_use_letters)


@hooks.register("construct_homepage_panels")
def add_my_letters_panel(request, panels):
    if not may_use_letters(request.user):
        return
    counts = todo_counts(request.user, today=timezone.localdate(),
                               calendar=working_calendar())
    if counts is not None:
        panels.append(views.MyLettersPanel(counts))


@hooks.register("public_entries")
def mailbox_entry():
    return (20, _("政民互动"), reverse("mailbox:landing"),
            _("咨询、求助、投诉、建议，凭编号查询办理情况"))
