"""场景式服务 in the Wagtail admin (permission ``services.manage_life_event_guides``, on the
guides whose responsible body the user manages): the list, the create and edit page (guide
fields, a questions formset with each question's options one per line, a steps formset whose
conditions are chosen among the saved options), publish and unpublish.

Every change goes through ``services.actions``; a ``ServicesRuleViolation`` comes back on the
field it names (``questions-1-options`` lands on the second question's options). Anyone
without the permission gets a real 403; a guide of another body is a 404.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from chuangkou.core.admin_views import forbidden

from .. import actions, queries
from ..exceptions import ServicesRuleViolation
from ..forms.guides import (
    GuideForm,
    GuideQuestionFormSet,
    GuideStepFormSet,
    option_lines,
)
from ..models import GuideOption, GuideQuestion, GuideStep, LifeEventGuide

__all__ = ["GuideCreateView", "GuideEditView", "GuideListView", "GuidePublicationView",
           "may_manage_guides"]

may_manage_guides = queries.may_manage_guides


class GuideManagerRequiredMixin:
    header_icon = "list-ol"

    def dispatch(self, request, *args, **kwargs):
        if not may_manage_guides(request.user):
            return forbidden(request)
        if "pk" in kwargs:
            self.guide = queries.guides_editable_by(request.user).filter(pk=kwargs["pk"]).first()
            if self.guide is None:
                raise Http404
        return super().dispatch(request, *args, **kwargs)


class GuideListView(GuideManagerRequiredMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "services/admin/guides/list.html"
    page_title = gettext_lazy("场景式服务")

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs),
                "guides": list(queries.guides_editable_by(self.request.user))}


class GuideFormView(GuideManagerRequiredMixin, WagtailAdminTemplateMixin, TemplateView):
    """The guide form with its two formsets; GET shows them, POST saves through the action."""

    template_name = "services/admin/guides/edit.html"
    guide: LifeEventGuide | None = None

    # ------------------------------------------------------------------ choices

    def saved_questions(self) -> list[GuideQuestion]:
        if self.guide is None:
            return []
        if not hasattr(self, "_saved_questions"):
            self._saved_questions = list(
                GuideQuestion.objects.filter(guide=self.guide).order_by("sort_order", "pk")
                .prefetch_related(Prefetch("options", queryset=GuideOption.objects.order_by(
                    "sort_order", "pk"))))
        return self._saved_questions

    def option_choices(self) -> list[tuple[str, str]]:
        return [(str(option.pk), f"{question.text} — {option.label}")
                for question in self.saved_questions() for option in question.options.all()]

    def item_choices(self) -> list[tuple[str, str]]:
        items = [(item.code, f"{item.code} {item.name}（{item.implementing_body.name}）")
                 for item in queries.published_items_for_guides()]
        # An item withdrawn since it was chosen stays selectable, so saving the rest of
        # the guide does not silently drop it (the action says whether it may stay).
        if self.guide is not None:
            codes = {code for code, _label in items}
            for step in self.guide.steps.select_related("item"):
                if step.item is not None and step.item.code not in codes:
                    codes.add(step.item.code)
                    items.append((step.item.code,
                                  _("%(code)s %(name)s（未公开）") % {"code": step.item.code,
                                                                   "name": step.item.name}))
        return items

    # ------------------------------------------------------------------ forms

    def initial_values(self):
        if self.guide is None:
            return {}, [], []
        guide = self.guide
        guide_initial = {"title": guide.title, "slug": guide.slug, "summary": guide.summary,
                         "audience": guide.audience, "responsible_body": guide.responsible_body,
                         "sort_order": guide.sort_order}
        questions = [{"text": question.text, "help_text": question.help_text,
                      "options": "\n".join(option.label for option in question.options.all())}
                     for question in self.saved_questions()]
        steps = [{"title": step.title, "description": step.description,
                  "item_code": step.item.code if step.item else "",
                  "required_options": [str(option.pk) for option in step.required_options.all()]}
                 for step in GuideStep.objects.filter(guide=guide).select_related("item")
                 .prefetch_related("required_options").order_by("sort_order", "pk")]
        return guide_initial, questions, steps

    def build_forms(self, data=None):
        guide_initial, questions, steps = self.initial_values()
        bodies = queries.managed_bodies(self.request.user)
        guide_form = GuideForm(data, initial=guide_initial, bodies=bodies)
        question_formset = GuideQuestionFormSet(data, initial=questions, prefix="questions")
        step_formset = GuideStepFormSet(data, initial=steps, prefix="steps", form_kwargs={
            "item_choices": self.item_choices(), "option_choices": self.option_choices()})
        return guide_form, question_formset, step_formset

    def guide_data(self, guide_form, question_formset, step_formset):
        """The ``GuideData`` the forms describe, and which form each list entry came from."""
        question_forms, question_index = [], {}
        for position, form in enumerate(question_formset.forms):
            if form.cleaned_data.get("DELETE") or not form.cleaned_data:
                continue
            question_index[position] = len(question_forms)
            question_forms.append(form)
        # Conditions are saved option keys; turn them into (question index, label) using
        # the saved questions' positions, which the formset's initial forms follow.
        options = {}
        for position, question in enumerate(self.saved_questions()):
            for option in question.options.all():
                options[str(option.pk)] = (question_index.get(position, -1), option.label)
        step_forms = [form for form in step_formset.forms
                      if form.cleaned_data and not form.cleaned_data.get("DELETE")]
        data = actions.GuideData(
            title=guide_form.cleaned_data["title"], slug=guide_form.cleaned_data["slug"],
            summary=guide_form.cleaned_data["summary"],
            audience=guide_form.cleaned_data["audience"],
            responsible_body=guide_form.cleaned_data["responsible_body"],
            sort_order=guide_form.cleaned_data["sort_order"],
            questions=tuple(actions.GuideQuestionData(
                text=form.cleaned_data["text"], help_text=form.cleaned_data["help_text"],
                options=tuple(option_lines(form.cleaned_data["options"])))
                for form in question_forms),
            steps=tuple(actions.GuideStepData(
                title=form.cleaned_data["title"], description=form.cleaned_data["description"],
                item_code=form.cleaned_data["item_code"],
                required_options=tuple(options[pk] for pk in form.cleaned_data["required_options"]
                                       if pk in options))
                for form in step_forms),
        )
        return data, question_forms, step_forms

    def apply_violation(self, violation, guide_form, question_forms, step_forms):
        lists = {"questions": question_forms, "steps": step_forms}
        for name, messages_ in violation.errors.items():
            parts = name.split("-")
            target, field = guide_form, None
            if len(parts) == 3 and parts[0] in lists and parts[1].isdigit():
                forms_ = lists[parts[0]]
                index = int(parts[1])
                if index < len(forms_):
                    target = forms_[index]
                    field = parts[2] if parts[2] in target.fields else None
            elif name in guide_form.fields:
                field = name
            for message in messages_:
                target.add_error(field, message)

    def get(self, request, *args, **kwargs):
        guide_form, question_formset, step_formset = self.build_forms()
        return self.render_to_response(self.get_context_data(
            guide_form=guide_form, question_formset=question_formset,
            step_formset=step_formset))

    def post(self, request, *args, **kwargs):
        guide_form, question_formset, step_formset = self.build_forms(request.POST)
        valid = guide_form.is_valid() & question_formset.is_valid() & step_formset.is_valid()
        if valid:
            data, question_forms, step_forms = self.guide_data(guide_form, question_formset,
                                                               step_formset)
            try:
                guide, _created = actions.save_life_event_guide(
                    data=data, actor=request.user, guide=self.guide,
                    must_create=self.guide is None)
            except ServicesRuleViolation as violation:
                self.apply_violation(violation, guide_form, question_forms, step_forms)
            except PermissionDenied:
                return forbidden(request)
            else:
                messages.success(request, _("已保存场景式服务“%(title)s”。") % {"title": guide.title})
                return redirect("services_guide_edit", pk=guide.pk)
        response = self.render_to_response(self.get_context_data(
            guide_form=guide_form, question_formset=question_formset,
            step_formset=step_formset, has_errors=True))
        return response

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "guide": self.guide,
                "list_url": reverse("services_guides")}


class GuideCreateView(GuideFormView):
    page_title = gettext_lazy("新增场景式服务")


class GuideEditView(GuideFormView):
    page_title = gettext_lazy("修改场景式服务")

    def get_page_subtitle(self):
        return self.guide.title


class GuidePublicationView(GuideManagerRequiredMixin, WagtailAdminTemplateMixin, TemplateView):
    """Confirm and publish (or unpublish) a guide."""

    template_name = "services/admin/guides/confirm.html"
    publish = True

    def get_page_title(self):
        return _("公开场景式服务") if self.publish else _("撤下场景式服务")

    def get_page_subtitle(self):
        return self.guide.title

    def post(self, request, *args, **kwargs):
        action = (actions.publish_life_event_guide if self.publish
                  else actions.unpublish_life_event_guide)
        try:
            action(guide=self.guide, actor=request.user)
        except ServicesRuleViolation as violation:
            errors = [message for messages_ in violation.errors.values() for message in messages_]
            return self.render_to_response(self.get_context_data(errors=errors))
        except PermissionDenied:
            return forbidden(request)
        messages.success(request, _("已公开“%(title)s”。") % {"title": self.guide.title}
                         if self.publish else
                         _("已撤下“%(title)s”。") % {"title": self.guide.title})
        return redirect("services_guide_edit", pk=self.guide.pk)

    def get_context_data(self, **kwargs):
        question = (_("确定公开“%(title)s”吗？公开后市民可以在网上办事的场景式服务中看到它。")
                    if self.publish else
                    _("确定撤下“%(title)s”吗？撤下后市民将无法再看到它。")) % {
            "title": self.guide.title}
        return {**super().get_context_data(**kwargs), "guide": self.guide, "question": question,
                "button": _("公开") if self.publish else _("撤下"),
                "cancel_url": reverse("services_guide_edit", args=[self.guide.pk])}
