"""Functions Wagtail's workflow engine calls by dotted path. Imported while ``wagtail.models``
is still loading, so nothing here imports models at module level."""


def publish_approved_draft(workflow_state, user=None) -> None:
    """WAGTAIL_FINISH_WORKFLOW_ACTION: the last review step publishes the reviewed revision.

    The approval is the authority to publish, so the approver (e.g. a confidentiality
    reviewer) needs no publish permission of their own; the publication screens still run.
    """
    revision = workflow_state.content_object.get_latest_revision()
    revision.publish(user=user, skip_permission_checks=True)
