"""Review steps (三审) on Wagtail's workflow engine."""

from django import forms
from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.models import Task

from chuangkou.organizations.choices import Role

# Roles that may be asked to review a draft: department review (初审), the leader in charge
# (复审) and the confidentiality review (保密审查).
REVIEWING_ROLES = (Role.REVIEWER, Role.SITE_ADMINISTRATOR, Role.CONFIDENTIALITY_REVIEWER,
                   Role.EDITOR)


class RejectionForm(forms.Form):
    """A rejection returns the draft to its author and must say what to change."""

    comment = forms.CharField(
        label=_("退回意见"), widget=forms.Textarea({"rows": 3}), min_length=2,
        error_messages={"required": _("退回意见：请写明需要修改的内容。")},
    )


class RoleReviewTask(Task):
    """审核步骤: a step approved by whoever holds ``role`` in a body that manages the page.

    Reviewers come from the bodies' roles, never from hand-picked users, so a change of staff
    is a change of membership. Nobody approves a draft they submitted or last edited (先审后发:
    the reviewer is a second person).
    """

    role = models.CharField(
        _("审核角色"), max_length=32,
        choices=[(role.value, role.label) for role in REVIEWING_ROLES],
        help_text=_("由负责该页面的机构中担任此角色的人员审核。"),
    )

    admin_form_fields = [*Task.admin_form_fields, "role"]

    class Meta:
        verbose_name = _("按角色审核")
        verbose_name_plural = _("按角色审核")

    @classmethod
    def get_description(cls):
        return _("由负责页面的机构中担任指定角色的人员审核，作者本人不能审核自己的稿件。")

    def reviewer_ids(self, obj) -> set[int]:
        from chuangkou.publishing.queries import reviewer_ids_for_page

        cache = getattr(obj, "_reviewer_ids_by_role", None)
        if cache is None:
            cache = obj._reviewer_ids_by_role = {}
        if self.role not in cache:
            cache[self.role] = reviewer_ids_for_page(page=obj, role=self.role)
        return cache[self.role]

    def is_reviewer(self, obj, user) -> bool:
        return bool(getattr(user, "is_authenticated", False)) and user.pk in self.reviewer_ids(obj)

    def may_decide(self, obj, user) -> bool:
        from chuangkou.publishing.queries import authors_of_current_draft

        return self.is_reviewer(obj, user) and user.pk not in authors_of_current_draft(obj)

    def user_can_access_editor(self, obj, user):
        return self.is_reviewer(obj, user)

    def locked_for_user(self, obj, user):
        return not self.is_reviewer(obj, user)

    def user_can_lock(self, obj, user):
        return self.is_reviewer(obj, user)

    def get_actions(self, obj, user):
        if not self.may_decide(obj, user):
            return []
        from chuangkou.publishing.queries import has_unresolved_blocking_findings

        actions = [("reject", _("退回修改"), True)]
        if not has_unresolved_blocking_findings(page=obj):
            actions += [("approve", _("通过"), False), ("approve", _("通过并填写意见"), True)]
        return actions

    def get_form_for_action(self, action):
        if action == "reject":
            return RejectionForm
        return super().get_form_for_action(action)

    def on_action(self, task_state, user, action_name, **kwargs):
        obj = task_state.workflow_state.content_object
        allowed = {name for name, _label, _form in self.get_actions(obj, user)}
        if action_name not in allowed:
            raise PermissionDenied(_("您不能对此稿件执行该审核操作。"))
        # Wagtail logs the decision with its comment; core mirrors that log into the audit trail.
        super().on_action(task_state, user, action_name, **kwargs)

    def get_task_states_user_can_moderate(self, user, **kwargs):
        from chuangkou.publishing.queries import task_states_reviewable_by

        return task_states_reviewable_by(task=self, user=user)
