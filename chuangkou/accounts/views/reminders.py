"""个性化提醒 pages: the citizen's reminders (upcoming and sent), adding, changing and deleting
one. Only the citizen's own reminders are found; anybody else's number is a 404."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from chuangkou.core.admin_views import apply_rule_violation

from ..actions.reminders import (
    create_reminder,
    delete_reminder,
    is_editable_by_citizen,
    update_reminder,
)
from ..decorators import citizen_required
from ..exceptions import AccountsRuleViolation
from ..forms.reminders import TITLE_SUGGESTIONS, ReminderForm
from ..models import Reminder
from ..queries.homepage import reminder_of, sent_reminders, upcoming_reminders
from .homepage import page_context, private

__all__ = ["reminder_add", "reminder_delete", "reminder_edit", "reminders"]

SENT_SHOWN = 50
SECTION = "reminders"


def _context(request, **extra) -> dict:
    return page_context(request, mine_section=SECTION, **extra)


def _own(request: HttpRequest, pk: int) -> Reminder:
    reminder = reminder_of(request.citizen, pk)
    if reminder is None:
        raise Http404
    return reminder


@require_GET
@citizen_required
def reminders(request: HttpRequest) -> HttpResponse:
    account = request.citizen
    return private(render(request, "accounts/reminders/list.html", _context(
        request, upcoming=[(reminder, is_editable_by_citizen(reminder))
                           for reminder in upcoming_reminders(account)],
        sent=list(sent_reminders(account)[:SENT_SHOWN]))))


def _form_page(request, form, *, reminder=None, status=200) -> HttpResponse:
    return private(render(request, "accounts/reminders/form.html", _context(
        request, form=form, reminder=reminder, suggestions=TITLE_SUGGESTIONS), status=status))


@require_http_methods(["GET", "POST"])
@citizen_required
def reminder_add(request: HttpRequest) -> HttpResponse:
    form = ReminderForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                reminder = create_reminder(account=request.citizen, **form.reminder_fields())
            except AccountsRuleViolation as error:
                apply_rule_violation(form, error)
            else:
                messages.success(request, _("已设置提醒“%(title)s”，将于%(date)s提醒您。")
                                 % {"title": reminder.title,
                                    "date": reminder.remind_on.isoformat()})
                return redirect("accounts:reminders")
        return _form_page(request, form, status=400)
    return _form_page(request, form)


@require_http_methods(["GET", "POST"])
@citizen_required
def reminder_edit(request: HttpRequest, pk: int) -> HttpResponse:
    reminder = _own(request, pk)
    if not is_editable_by_citizen(reminder):
        messages.info(request, _("该提醒由“%(source)s”自动生成，不能修改；不需要时可以删除。")
                      % {"source": reminder.get_source_display()})
        return redirect("accounts:reminders")
    if request.method == "POST":
        form = ReminderForm(request.POST)
        if form.is_valid():
            try:
                reminder = update_reminder(account=request.citizen, reminder=reminder,
                                           **form.reminder_fields())
            except AccountsRuleViolation as error:
                apply_rule_violation(form, error)
            except Reminder.DoesNotExist:
                raise Http404 from None
            else:
                messages.success(request, _("已修改提醒“%(title)s”，将于%(date)s提醒您。")
                                 % {"title": reminder.title,
                                    "date": reminder.remind_on.isoformat()})
                return redirect("accounts:reminders")
        return _form_page(request, form, reminder=reminder, status=400)
    form = ReminderForm(initial={
        "source": reminder.source, "title": reminder.title, "due_on": reminder.due_on,
        "days_before": (reminder.due_on - reminder.remind_on).days, "note": reminder.note})
    return _form_page(request, form, reminder=reminder)


@require_http_methods(["GET", "POST"])
@citizen_required
def reminder_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """GET asks to confirm (works without JavaScript); POST deletes."""
    reminder = _own(request, pk)
    if request.method == "POST":
        try:
            delete_reminder(account=request.citizen, reminder=reminder)
        except Reminder.DoesNotExist:
            raise Http404 from None
        messages.success(request, _("已删除提醒“%(title)s”。") % {"title": reminder.title})
        return redirect("accounts:reminders")
    return private(render(request, "accounts/reminders/delete.html",
                          _context(request, reminder=reminder)))
