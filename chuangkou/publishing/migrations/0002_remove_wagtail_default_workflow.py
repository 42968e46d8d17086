"""Wagtail installs a "Moderators approval" workflow on the root page for its sample groups.
Chuangkou's reviewers come from the bodies' roles (RoleReviewTask), so that default is removed;
each site or column gets its review chain explicitly (publishing.actions)."""

from django.db import migrations


def remove_default_workflow(apps, schema_editor):
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")
    default_task_ids = set(GroupApprovalTask.objects.values_list("pk", flat=True))
    for workflow in Workflow.objects.all():
        task_ids = set(WorkflowTask.objects.filter(workflow=workflow).values_list("task_id", flat=True))
        if task_ids and task_ids <= default_task_ids:
            WorkflowPage.objects.filter(workflow=workflow).delete()
            workflow.active = False
            workflow.save(update_fields=["active"])


class Migration(migrations.Migration):
    dependencies = [
        ("publishing", "0001_initial"),
        ("wagtailcore", "0048_add_default_workflows"),
    ]

    operations = [migrations.RunPython(remove_default_workflow, migrations.RunPython.noop)]
