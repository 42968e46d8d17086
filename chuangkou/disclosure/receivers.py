"""Signal receivers of the disclosure app (connected in ``apps.DisclosureConfig.ready``)."""

from django.db.models.signals import post_save
from django.dispatch import receiver
from wagtail.signals import page_published

from .models import DisclosureRecord


@receiver(page_published, dispatch_uid="disclosure.catalogue.page_published")
def catalogue_page_published(sender, instance, revision=None, **kwargs):
    """Every publication path (editor, workflow, scheduler) sets the record's 发布日期 the
    first time and keeps its 名称 equal to the page title."""
    from .actions.catalogue import note_page_published

    if DisclosureRecord.objects.filter(page_id=instance.pk).exists():
        user = getattr(revision, "user", None)
        note_page_published(page=instance, published_at=instance.last_published_at, actor=user)


@receiver(post_save, sender=DisclosureRecord, dispatch_uid="disclosure.catalogue.record_saved")
def catalogue_record_saved(sender, instance, **kwargs):
    """The metadata table is part of the article page and the catalogue listing: their cached
    and static output must follow a change of the record."""
    from chuangkou.publishing.actions import refresh_published_output

    if instance.page_id is not None:
        refresh_published_output(page=instance.page)
