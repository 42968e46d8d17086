"""Wagtail hooks that put review before release (先审后发) and the content checks in every
publication path. Imported by ``PublishingConfig.ready``."""

from django.contrib import messages
from django.dispatch import receiver
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from wagtail import hooks
from wagtail.signals import task_submitted

from .actions import screen_publication
from .exceptions import PublicationBlocked

DIRECT_PUBLISH_REFUSED = _("本页面所在栏目须经审核流程发布：请“提交审核”，审核通过后自动发布。")


def _workflow_of(page):
    try:
        workflow = page.get_workflow()
    except (AttributeError, ValueError):
        return None
    return workflow if workflow is not None and workflow.active else None


@hooks.register("before_publish_revision")
def screen_every_publication(*, page, revision, user):
    screen_publication(page=page, revision=revision, actor=user)


@hooks.register("before_publish_page")
def refuse_unreviewed_or_blocked_publication(request, page):
    """The editor's Publish button: a page under a review workflow is published only by its
    last review step, and a blocking finding stops publication with the findings listed."""
    if _workflow_of(page) is not None:
        messages.error(request, DIRECT_PUBLISH_REFUSED)
        return redirect("wagtailadmin_pages:edit", page.pk)
    try:
        screen_publication(page=page, revision=page.get_latest_revision(), actor=request.user)
    except PublicationBlocked as blocked:
        for message in blocked.errors["__all__"]:
            messages.error(request, message)
        return redirect("wagtailadmin_pages:edit", page.pk)
    return None


@hooks.register("construct_page_action_menu")
def hide_direct_publish_under_workflow(menu_items, request, context):
    page = context.get("page")
    if page is None or page.pk is None:
        page = context.get("parent_page")
    if page is not None and _workflow_of(page) is not None:
        menu_items[:] = [item for item in menu_items if item.name != "action-publish"]


@hooks.register("before_bulk_action")
def refuse_bulk_publication_under_workflow(request, action_type, objects, action_class_instance):
    if action_type != "publish":
        return None
    if any(_workflow_of(page) is not None for page in objects):
        messages.error(request, DIRECT_PUBLISH_REFUSED)
        return redirect(request.GET.get("next") or "wagtailadmin_explore_root")
    return None


@receiver(task_submitted)
def check_draft_on_submission(sender, instance, user=None, **kwargs):
    """Each review step starts with a fresh check of the revision under review, so reviewers
    see the findings beside the draft (the first step's run is the submission check)."""
    from .actions import run_content_checks
    from .choices import CheckTrigger

    page = instance.workflow_state.content_object
    if hasattr(page, "specific"):
        run_content_checks(page=page.specific, revision=instance.revision,
                           trigger=CheckTrigger.SUBMISSION, actor=user)
