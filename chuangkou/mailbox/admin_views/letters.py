"""Staff screens of 政民互动 letters in the Wagtail admin: the work lists (待分办, 办理中,
待审核答复, 督办, 全部), the detail with the whole timeline and one form per action, the audited
look at the writer's details, attachment downloads, and the home panel "我的待办来信".

Who sees a letter is ``queries.letters_visible_to``; anyone else gets 404 for it. Who may act
is decided by the ``queries.may_*`` predicates here (to show the form) and again by the action.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import F, Q
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import FormView, TemplateView
from wagtail.admin import messages
from wagtail.admin.ui.components import Component
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from chuangkou.core.admin_views import RevealPersonalDataView, apply_rule_violation, forbidden
from chuangkou.core.calendar import working_calendar, working_days_between
from chuangkou.organizations.choices import Role
from chuangkou.organizations.models import Body
from chuangkou.organizations.queries import bodies_at_or_below, bodies_of

from .. import actions, masking, queries
from ..choices import ExtensionStatus, FollowUpStatus, LetterStatus, ReplyStatus
from ..exceptions import MailboxRuleViolation
from ..forms import admin as admin_forms
from ..models import Letter, LetterAttachment, UrgeNote
from ..queries.worklists import (
    ASSIGNED_OPEN,
    DUE_SOON_WORKING_DAYS,
    HANDLING_ROLES,
    may_use_letters,
    staff_letters,
    supervision_condition,
)

SCOPE_ROLES = (Role.LETTER_DISPATCHER, Role.LETTER_SUPERVISOR)
PER_PAGE = 30


# --------------------------------------------------------------------------- who gets in


class LetterStaffRequiredMixin:
    """Letter staff only; anyone else signed in to the admin gets 403."""

    def dispatch(self, request, *args, **kwargs):
        if not may_use_letters(request.user):
            return forbidden(request)
        return super().dispatch(request, *args, **kwargs)


class LetterMixin(LetterStaffRequiredMixin):
    """A view of one letter, found among the letters the user may see; 404 otherwise."""

    def dispatch(self, request, *args, **kwargs):
        if may_use_letters(request.user):
            self.letter = queries.letter_for_staff(request.user, kwargs["number"])
            if self.letter is None:
                raise Http404
        return super().dispatch(request, *args, **kwargs)


def scope_bodies(user):
    """The bodies whose letters ``user`` works on: their own for handlers and reviewers, and
    everything at or below theirs for dispatchers and supervisors."""
    if user.is_superuser:
        return Body.objects.order_by("path")
    own = bodies_of(user, roles=HANDLING_ROLES).values("pk")
    below = bodies_at_or_below(user, roles=SCOPE_ROLES).values("pk")
    return Body.objects.filter(Q(pk__in=own) | Q(pk__in=below)).order_by("path")


# --------------------------------------------------------------------------- work lists


@dataclass(frozen=True)
class Tab:
    slug: str
    title: str
    shown_to: Callable[[Any], bool]
    letters: Callable[[Any, Any, date], Any]  # (queryset, user, today) -> queryset


def _mine(letters, user, today):
    return (letters.filter(status__in=ASSIGNED_OPEN,
                           assigned_body__in=bodies_of(user, roles=HANDLING_ROLES).values("pk"))
            .order_by(F("due_on").asc(nulls_last=True), "pk"))


TABS = (
    Tab("dispatch", gettext_lazy("待分办"),
        lambda user: user.has_perm("mailbox.dispatch_letter"),
        lambda letters, user, today: letters.filter(
            status__in=(LetterStatus.HELD, LetterStatus.AWAITING_DISPATCH))
        .order_by("submitted_at", "pk")),
    Tab("mine", gettext_lazy("办理中"),
        lambda user: user.has_perm("mailbox.handle_letter"), _mine),
    Tab("review", gettext_lazy("待审核答复"),
        lambda user: user.has_perm("mailbox.review_letter_reply"),
        lambda letters, user, today: letters.filter(status=LetterStatus.IN_REVIEW)
        .order_by(F("due_on").asc(nulls_last=True), "pk")),
    Tab("supervise", gettext_lazy("督办"),
        lambda user: user.has_perm("mailbox.supervise_letter"),
        lambda letters, user, today: letters.filter(supervision_condition(today))
        .order_by(F("due_on").asc(nulls_last=True), "pk")),
    Tab("all", gettext_lazy("全部"), may_use_letters,
        lambda letters, user, today: letters.order_by("-submitted_at", "-pk")),
)


@dataclass(frozen=True)
class LetterRow:
    letter: Letter
    days_left: int | None
    overdue: bool
    overdue_days: int
    due_soon: bool


def letter_row(letter: Letter, *, today: date, calendar) -> LetterRow:
    if letter.status not in ASSIGNED_OPEN or letter.due_on is None:
        return LetterRow(letter, None, False, 0, False)
    if letter.due_on < today:
        return LetterRow(letter, None, True,
                         working_days_between(letter.due_on, today, calendar=calendar), False)
    left = working_days_between(today, letter.due_on, calendar=calendar)
    return LetterRow(letter, left, False, 0, left <= DUE_SOON_WORKING_DAYS)


def apply_filters(letters, data: dict, *, today: date):
    if data.get("q"):
        text = data["q"].strip()
        letters = letters.filter(Q(number__iexact=text) | Q(number__icontains=text)
                                 | Q(title__icontains=text))
    if data.get("status"):
        letters = letters.filter(status=data["status"])
    if data.get("kind"):
        letters = letters.filter(kind=data["kind"])
    if data.get("body"):
        letters = letters.filter(assigned_body=data["body"])
    if data.get("overdue"):
        letters = letters.filter(status__in=ASSIGNED_OPEN, due_on__lt=today)
    return letters


class LetterListView(LetterStaffRequiredMixin, WagtailAdminTemplateMixin, TemplateView):
    """来信办理: the work lists by tab, filtered, searched and paginated."""

    template_name = "mailbox/admin/letters/list.html"
    page_title = gettext_lazy("来信办理")
    header_icon = "mail"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        tabs = [tab for tab in TABS if tab.shown_to(user)]
        current = next((tab for tab in tabs if tab.slug == self.request.GET.get("tab")), tabs[0])
        today = timezone.localdate()
        form = admin_forms.LetterFilterForm(self.request.GET or None,
                                            bodies=scope_bodies(user))
        data = form.cleaned_data if form.is_bound and form.is_valid() else {}
        letters = apply_filters(current.letters(staff_letters(user), user, today), data,
                                today=today)
        page = Paginator(letters, PER_PAGE).get_page(self.request.GET.get("p"))
        calendar = working_calendar()
        params = self.request.GET.copy()
        params.pop("p", None)
        context.update(
            tabs=[(tab, f"?{urlencode({'tab': tab.slug})}", tab is current) for tab in tabs],
            current_tab=current,
            filter_form=form,
            page=page,
            rows=[letter_row(letter, today=today, calendar=calendar) for letter in page],
            page_query=params.urlencode(),
        )
        return context


# --------------------------------------------------------------------------- one letter


class Perms:
    """What ``user`` may do on ``letter``, each predicate asked once per request."""

    def __init__(self, user, letter):
        self.user, self.letter = user, letter

    @cached_property
    def handle(self) -> bool:
        return bool(queries.may_handle(self.user, self.letter))

    @cached_property
    def review(self) -> bool:
        return bool(queries.may_review(self.user, self.letter))

    @cached_property
    def dispatch(self) -> bool:
        return bool(queries.may_dispatch(self.user, self.letter))

    @cached_property
    def supervise(self) -> bool:
        return bool(queries.may_supervise(self.user, self.letter))

    @cached_property
    def publish(self) -> bool:
        return self.user.has_perm("mailbox.publish_letter") and (self.review or self.supervise)

    @cached_property
    def writer_details(self) -> bool:
        return bool(queries.may_view_writer_details(self.user, self.letter))


class LetterFacts:
    """The replies, extension requests, urge notes, rating and follow-up of one letter (fetched
    up front by ``queries.letter_for_staff``), for the detail page and for deciding which
    actions apply."""

    def __init__(self, letter: Letter):
        self.letter = letter

    @cached_property
    def replies(self):
        return list(self.letter.replies.all())

    @cached_property
    def extensions(self):
        return list(self.letter.extension_requests.all())

    @cached_property
    def urges(self):
        return list(self.letter.urge_notes.all())

    @cached_property
    def rating(self):
        return getattr(self.letter, "rating", None)

    @cached_property
    def follow_up(self):
        return getattr(self.letter, "follow_up", None)

    def _reply(self, *statuses):
        found = [reply for reply in self.replies if reply.status in statuses]
        return found[-1] if found else None

    @property
    def reply_in_review(self):
        return self._reply(ReplyStatus.IN_REVIEW)

    @property
    def approved_reply(self):
        return self._reply(ReplyStatus.APPROVED)

    @property
    def working_reply(self):
        """The draft to go on with, else the last reply sent back (to rework it)."""
        return self._reply(ReplyStatus.DRAFT) or self._reply(ReplyStatus.RETURNED)

    @property
    def pending_extension(self):
        found = [item for item in self.extensions if item.status == ExtensionStatus.PENDING]
        return found[0] if found else None

    @property
    def unanswered_urges(self):
        return [urge for urge in self.urges if urge.responded_at is None]

    @property
    def open_follow_up(self):
        follow_up = self.follow_up
        return follow_up if follow_up and follow_up.status == FollowUpStatus.OPEN else None

    @cached_property
    def writer(self):
        """For masking only (the writer's own name, phone and address are masked wherever they
        appear); never shown here: the audited reveal view shows them."""
        return getattr(self.letter, "writer", None)


def mask_for_publication(text: str, writer) -> str:
    """The automatic masking the publication action applies, the writer's own name, phone and
    address included."""
    return masking.mask_letter_text(text or "", writer=writer)


def _bodies(view, letter, facts):
    return {"bodies": queries.dispatch_target_bodies(view.request.user)}


def _forward_bodies(view, letter, facts):
    return {"bodies": queries.dispatch_target_bodies(view.request.user)
            .exclude(pk=letter.assigned_body_id)}


def _urges(view, letter, facts):
    return {"urges": UrgeNote.objects.filter(letter=letter, responded_at__isnull=True)}


def _reply_initial(letter, facts):
    reply = facts.working_reply
    return {"text": reply.text} if reply else {}


def _publish_initial(letter, facts):
    reply = facts.approved_reply
    writer = facts.writer
    return {"title": mask_for_publication(letter.published_title or letter.title, writer),
            "content": mask_for_publication(letter.published_content or letter.content, writer),
            "reply": mask_for_publication(letter.published_reply
                                          or (reply.text if reply else ""), writer)}


def _merge(view, letter, facts, data):
    into = queries.letters_visible_to(view.request.user).filter(number=data["into"]).first()
    if into is None:
        raise MailboxRuleViolation({"into": [
            _("找不到编号为 %(number)s 的来信，或您无权办理该信。") % {"number": data["into"]}]})
    actions.merge_letters(duplicate=letter, into=into, actor=view.request.user,
                          reason=data["reason"])


def _answer_urge(view, letter, facts, data):
    actions.answer_urge(urge=data["urge"], actor=view.request.user, response=data["response"])


def _require(value, field: str):
    if value is None:
        raise MailboxRuleViolation({field: [_("当前状态不能办理此事项，请刷新页面。")]})
    return value


@dataclass(frozen=True)
class LetterAction:
    title: str
    form_class: type
    permitted: Callable[[Perms], bool]
    applicable: Callable[[Letter, LetterFacts], bool]
    perform: Callable[[Any, Letter, LetterFacts, dict], Any]
    form_kwargs: Callable | None = None  # (view, letter, facts) -> dict
    initial: Callable | None = None  # (letter, facts) -> dict
    button: str = gettext_lazy("提交")
    button_class: str = "button"
    danger: bool = False


S = LetterStatus
OPEN_FOR_MERGE = (S.HELD, S.AWAITING_DISPATCH, S.IN_PROGRESS)
ACTIONS: dict[str, LetterAction] = {
    "release": LetterAction(
        gettext_lazy("审核通过（放行）"), admin_forms.ConfirmForm,
        lambda p: p.dispatch, lambda letter, facts: letter.status == S.HELD,
        lambda view, letter, facts, data: actions.release_held_letter(
            letter=letter, actor=view.request.user),
        button=gettext_lazy("放行")),
    "refuse": LetterAction(
        gettext_lazy("不予受理"), admin_forms.RefuseForm,
        lambda p: p.dispatch, lambda letter, facts: letter.status == S.HELD,
        lambda view, letter, facts, data: actions.refuse_letter(
            letter=letter, actor=view.request.user, reason=data["reason"]),
        button=gettext_lazy("不予受理"), danger=True),
    "dispatch": LetterAction(
        gettext_lazy("分办"), admin_forms.DispatchForm,
        lambda p: p.dispatch, lambda letter, facts: letter.status == S.AWAITING_DISPATCH,
        lambda view, letter, facts, data: actions.dispatch_letter(
            letter=letter, actor=view.request.user, body=data["body"], note=data["note"]),
        form_kwargs=_bodies, button=gettext_lazy("分办")),
    "forward": LetterAction(
        gettext_lazy("转办"), admin_forms.ForwardForm,
        lambda p: p.dispatch, lambda letter, facts: letter.status in ASSIGNED_OPEN,
        lambda view, letter, facts, data: actions.forward_letter(
            letter=letter, actor=view.request.user, body=data["body"], reason=data["reason"]),
        form_kwargs=_forward_bodies, button=gettext_lazy("转办")),
    "return": LetterAction(
        gettext_lazy("退单"), admin_forms.ReturnForm,
        lambda p: p.handle, lambda letter, facts: letter.status == S.IN_PROGRESS,
        lambda view, letter, facts, data: actions.return_letter(
            letter=letter, actor=view.request.user, reason=data["reason"]),
        button=gettext_lazy("退单"), danger=True),
    "merge": LetterAction(
        gettext_lazy("合并重复来信"), admin_forms.MergeForm,
        lambda p: p.dispatch, lambda letter, facts: letter.status in OPEN_FOR_MERGE,
        _merge, button=gettext_lazy("合并")),
    "save_draft": LetterAction(
        gettext_lazy("保存答复草稿"), admin_forms.ReplyForm,
        lambda p: p.handle, lambda letter, facts: letter.status == S.IN_PROGRESS,
        lambda view, letter, facts, data: actions.save_reply_draft(
            letter=letter, actor=view.request.user, text=data["text"]),
        initial=_reply_initial, button=gettext_lazy("保存草稿"),
        button_class="button button-secondary"),
    "submit_reply": LetterAction(
        gettext_lazy("提交答复审核"), admin_forms.ReplyForm,
        lambda p: p.handle, lambda letter, facts: letter.status == S.IN_PROGRESS,
        lambda view, letter, facts, data: actions.submit_reply_for_review(
            letter=letter, actor=view.request.user, text=data["text"]),
        initial=_reply_initial, button=gettext_lazy("提交审核")),
    "approve_reply": LetterAction(
        gettext_lazy("审核通过答复"), admin_forms.ConfirmForm,
        lambda p: p.review or p.supervise,
        lambda letter, facts: letter.status == S.IN_REVIEW and facts.reply_in_review is not None,
        lambda view, letter, facts, data: actions.approve_reply(
            reply=_require(facts.reply_in_review, "__all__"), actor=view.request.user),
        button=gettext_lazy("审核通过并答复")),
    "return_reply": LetterAction(
        gettext_lazy("不合格重新办理"), admin_forms.ReturnReplyForm,
        lambda p: p.review or p.supervise,
        lambda letter, facts: letter.status == S.IN_REVIEW and facts.reply_in_review is not None,
        lambda view, letter, facts, data: actions.return_reply(
            reply=_require(facts.reply_in_review, "reasons"), actor=view.request.user,
            reasons=data["reasons"]),
        button=gettext_lazy("退回重办"), danger=True),
    "request_extension": LetterAction(
        gettext_lazy("申请延期"), admin_forms.ExtensionRequestForm,
        lambda p: p.handle,
        lambda letter, facts: letter.status in ASSIGNED_OPEN and facts.pending_extension is None,
        lambda view, letter, facts, data: actions.request_extension(
            letter=letter, actor=view.request.user, working_days=data["working_days"],
            reason=data["reason"]),
        button=gettext_lazy("申请延期")),
    "decide_extension": LetterAction(
        gettext_lazy("审批延期申请"), admin_forms.ExtensionDecisionForm,
        lambda p: p.review or p.supervise,
        lambda letter, facts: facts.pending_extension is not None,
        lambda view, letter, facts, data: actions.decide_extension(
            request=_require(facts.pending_extension, "approve"), actor=view.request.user,
            approve=data["approve"], note=data["note"]),
        button=gettext_lazy("提交审批")),
    "urge": LetterAction(
        gettext_lazy("督办"), admin_forms.UrgeForm,
        lambda p: p.supervise, lambda letter, facts: letter.status in ASSIGNED_OPEN,
        lambda view, letter, facts, data: actions.urge_letter(
            letter=letter, actor=view.request.user, note=data["note"]),
        button=gettext_lazy("发出督办")),
    "answer_urge": LetterAction(
        gettext_lazy("回复督办"), admin_forms.AnswerUrgeForm,
        lambda p: p.handle, lambda letter, facts: bool(facts.unanswered_urges),
        _answer_urge, form_kwargs=_urges, button=gettext_lazy("回复督办")),
    "publish": LetterAction(
        gettext_lazy("公开来信和答复"), admin_forms.PublishForm,
        lambda p: p.publish,
        lambda letter, facts: (letter.status == S.ANSWERED and letter.may_publish
                               and not letter.is_published),
        lambda view, letter, facts, data: actions.publish_letter(
            letter=letter, actor=view.request.user, title=data["title"],
            content=data["content"], reply=data["reply"]),
        initial=_publish_initial, button=gettext_lazy("公开")),
    "unpublish": LetterAction(
        gettext_lazy("撤销公开"), admin_forms.UnpublishForm,
        lambda p: p.publish, lambda letter, facts: letter.is_published,
        lambda view, letter, facts, data: actions.unpublish_letter(
            letter=letter, actor=view.request.user, reason=data["reason"]),
        button=gettext_lazy("撤销公开"), danger=True),
    "close_follow_up": LetterAction(
        gettext_lazy("回访办结"), admin_forms.CloseFollowUpForm,
        lambda p: p.supervise, lambda letter, facts: facts.open_follow_up is not None,
        lambda view, letter, facts, data: actions.close_follow_up(
            follow_up=_require(facts.open_follow_up, "conclusion"), actor=view.request.user,
            conclusion=data["conclusion"]),
        button=gettext_lazy("办结回访")),
}
# Two buttons of one form on the detail page: 保存草稿 and 提交审核.
REPLY_ACTIONS = ("save_draft", "submit_reply")


def build_form(view, spec: LetterAction, letter, facts, data=None, *, auto_id="id_%s"):
    """The action's form; the detail page shows several, each with its own element ids
    (``auto_id``) so that every label points at its own field."""
    kwargs = spec.form_kwargs(view, letter, facts) if spec.form_kwargs else {}
    initial = spec.initial(letter, facts) if spec.initial else {}
    return spec.form_class(data, initial=initial, auto_id=auto_id, **kwargs)


class LetterDetailView(LetterMixin, WagtailAdminTemplateMixin, TemplateView):
    """来信详情: the letter, attachments, timeline with internal notes, replies and review
    notes, extensions, urge notes, rating and follow-up, and the forms the user may use."""

    template_name = "mailbox/admin/letters/detail.html"
    page_title = gettext_lazy("来信")
    header_icon = "mail"

    def get_page_subtitle(self):
        return self.letter.number

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        letter, user = self.letter, self.request.user
        facts, perms = LetterFacts(letter), Perms(user, letter)
        today = timezone.localdate()
        forms = []
        for name, spec in ACTIONS.items():
            if name == "submit_reply" or not spec.applicable(letter, facts):
                continue
            if not spec.permitted(perms):
                continue
            form = build_form(self, spec, letter, facts, auto_id=f"id_{name}_%s")
            entry = {"name": name, "spec": spec, "form": form,
                     "url": reverse("mailbox_letter_action", args=[letter.number, name])}
            if name == "save_draft":
                entry["title"] = _("答复")
                entry["buttons"] = [
                    (ACTIONS[other].button, ACTIONS[other].button_class,
                     reverse("mailbox_letter_action", args=[letter.number, other]))
                    for other in REPLY_ACTIONS]
            else:
                entry["title"] = spec.title
            if name == "publish":
                entry["preview"] = {key: form.initial.get(key, "")
                                    for key in ("title", "content", "reply")}
            forms.append(entry)
        context.update(
            letter=letter,
            row=letter_row(letter, today=today, calendar=working_calendar()),
            attachments=list(letter.attachments.all()),
            events=sorted(letter.events.all(), key=lambda event: (event.occurred_at, event.pk)),
            replies=facts.replies,
            extensions=facts.extensions,
            urges=facts.urges,
            rating=facts.rating,
            follow_up=facts.follow_up,
            merged_letters=sorted(letter.merged_letters.all(), key=lambda item: item.pk),
            action_forms=forms,
            may_view_writer=perms.writer_details,
            writer_url=reverse("mailbox_letter_writer", args=[letter.number]),
            list_url=reverse("mailbox_letters"),
        )
        return context


class RevealWriterView(LetterMixin, RevealPersonalDataView):
    """查看写信人信息 (POST only): the writer's contact details, each look audited."""

    template_name = "mailbox/admin/letters/writer.html"
    page_title = gettext_lazy("写信人信息")

    def get_page_subtitle(self):
        return self.letter.number

    def reveal(self):
        return actions.record_writer_details_viewed(letter=self.letter, actor=self.request.user)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "letter": self.letter,
                "back_url": reverse("mailbox_letter_detail", args=[self.letter.number])}


class AttachmentView(LetterMixin, View):
    """One attachment of a letter the user may see, as a download (never shown inline)."""

    def get(self, request, number, pk):
        attachment = LetterAttachment.objects.filter(letter=self.letter, pk=pk).first()
        if attachment is None:
            raise Http404
        try:
            handle = attachment.file.open("rb")
        except (FileNotFoundError, OSError) as error:
            raise Http404 from error
        response = FileResponse(handle, as_attachment=True, filename=attachment.original_name,
                                content_type=attachment.content_type
                                or "application/octet-stream")
        response["Cache-Control"] = "no-store, private"
        response["X-Content-Type-Options"] = "nosniff"
        return response


class LetterActionView(LetterMixin, WagtailAdminTemplateMixin, FormView):
    """One action on a letter: its form, the action, field errors on refusal, 403 when the
    user may not use it."""

    template_name = "mailbox/admin/letters/action.html"
    header_icon = "mail"

    def dispatch(self, request, *args, **kwargs):
        self.name = kwargs["action"]
        self.spec = ACTIONS.get(self.name)
        if self.spec is None:
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def facts(self):
        return LetterFacts(self.letter)

    def get(self, request, *args, **kwargs):
        gate = self.gate()
        return gate or super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        gate = self.gate()
        return gate or super().post(request, *args, **kwargs)

    def gate(self):
        """403 for whom the action is not meant; back to the letter when its state moved on."""
        if not self.spec.permitted(Perms(self.request.user, self.letter)):
            return forbidden(self.request)
        if not self.spec.applicable(self.letter, self.facts):
            messages.warning(self.request, _("来信当前状态（%(status)s）不能办理：%(action)s。") % {
                "status": self.letter.get_status_display(), "action": self.spec.title})
            return redirect("mailbox_letter_detail", number=self.letter.number)
        return None

    def get_page_title(self):
        return self.spec.title

    def get_page_subtitle(self):
        return self.letter.number

    def get_form(self, form_class=None):
        data = self.request.POST if self.request.method == "POST" else None
        return build_form(self, self.spec, self.letter, self.facts, data)

    def form_valid(self, form):
        if self.name == "publish" and "preview" in self.request.POST:
            return self.render_to_response(self.get_context_data(form=form, preview={
                key: mask_for_publication(form.cleaned_data[key], self.facts.writer)
                for key in ("title", "content", "reply")}))
        try:
            self.spec.perform(self, self.letter, self.facts, form.cleaned_data)
        except MailboxRuleViolation as violation:
            apply_rule_violation(form, violation)
            return self.form_invalid(form)
        except PermissionDenied:
            return forbidden(self.request)
        messages.success(self.request, _("已办理：%(action)s。") % {"action": self.spec.title})
        return redirect("mailbox_letter_detail", number=self.letter.number)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.name == "publish" and "preview" not in context:
            form = context["form"]
            source = form.cleaned_data if form.is_bound and form.is_valid() else form.initial
            context["preview"] = {key: mask_for_publication(source.get(key, ""),
                                                            self.facts.writer)
                                  for key in ("title", "content", "reply")}
        return {**context, "letter": self.letter, "spec": self.spec, "action_name": self.name,
                "cancel_url": reverse("mailbox_letter_detail", args=[self.letter.number])}


# --------------------------------------------------------------------------- home panel


class MyLettersPanel(Component):
    """Admin home panel: 我的待办来信, with how many are due soon and how many overdue."""

    name = "mailbox_my_letters"
    template_name = "mailbox/admin/letters/home_panel.html"
    order = 140

    def __init__(self, counts: dict[str, int]):
        self.counts = counts

    def get_context_data(self, parent_context):
        return {**self.counts, "list_url": reverse("mailbox_letters")}
