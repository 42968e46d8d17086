"""The admin form of the cluster's page types."""

from django.utils import timezone
from wagtail.admin.forms import WagtailAdminPageForm

from chuangkou.publishing.rules import schedule_errors


class ClusterPageForm(WagtailAdminPageForm):
    """Refuses a publication schedule in the past or an expiry before publication."""

    def clean(self):
        cleaned_data = super().clean()
        if "go_live_at" not in self.fields:
            return cleaned_data
        errors = schedule_errors(
            go_live_at=cleaned_data.get("go_live_at"),
            expire_at=cleaned_data.get("expire_at"),
            now=timezone.now(),
            previous_go_live_at=self.instance.go_live_at if self.instance.pk else None,
        )
        for field, messages in errors.items():
            for message in messages:
                if message not in self.errors.get(field, []):
                    self.add_error(field, message)
        return cleaned_data
