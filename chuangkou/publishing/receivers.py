"""Signal receivers that keep published output fresh after every page change.

Only publication-level events are followed: publishing (also scheduled publishing and
workflow approval, which go through ``revision.publish()``), unpublishing, moves, slug
changes, deletion, view-restriction changes and adoption of a submitted article. Saving a
draft revision of a live page changes nothing public and triggers nothing. Each receiver is
a thin call into ``delivery.refresh_after_page_change``.
"""

import logging

from django.db.models.signals import post_delete, post_save, pre_delete
from django.dispatch import receiver
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

from chuangkou.sitecluster.models import ArticleSubmission, ClusterSite

from .delivery import refresh_after_page_change

logger = logging.getLogger(__name__)


@receiver(page_published, dispatch_uid="publishing.static.published")
def page_was_published(sender, instance, **kwargs):
    refresh_after_page_change(page=instance)


@receiver(page_unpublished, dispatch_uid="publishing.static.unpublished")
def page_was_unpublished(sender, instance, **kwargs):
    refresh_after_page_change(page=instance)


@receiver(post_page_move, dispatch_uid="publishing.static.moved")
def page_was_moved(sender, instance, url_path_before, url_path_after, **kwargs):
    refresh_after_page_change(page=instance, old_url_path=url_path_before)


@receiver(page_slug_changed, dispatch_uid="publishing.static.slug_changed")
def page_slug_was_changed(sender, instance, instance_before, **kwargs):
    refresh_after_page_change(page=instance, old_url_path=instance_before.url_path)


@receiver(pre_delete, dispatch_uid="publishing.static.deleting")
def page_is_being_deleted(sender, instance, **kwargs):
    # Before the rows go: the page's URL and ancestors are read now, the files are removed
    # once the deletion commits.
    if isinstance(instance, Page):
        refresh_after_page_change(page=instance, deleted=True)


@receiver(post_save, sender=PageViewRestriction, dispatch_uid="publishing.static.restricted")
@receiver(post_delete, sender=PageViewRestriction, dispatch_uid="publishing.static.unrestricted")
def page_privacy_changed(sender, instance, **kwargs):
    page = Page.objects.filter(pk=instance.page_id).first()
    if page is not None:
        refresh_after_page_change(page=page, whole_tree=True)


@receiver(post_save, sender=ArticleSubmission, dispatch_uid="publishing.static.submission")
def submission_was_decided(sender, instance, created, **kwargs):
    if not created:
        refresh_after_page_change(page=instance.article)


@receiver(post_save, sender=ClusterSite, dispatch_uid="publishing.static.site_identity")
def site_identity_changed(sender, instance, created, **kwargs):
    # The footer of every page of the site shows its identity (网站标识码, 主办单位 ...).
    if not created and instance.home_page_id:
        refresh_after_page_change(page=instance.home_page)


@receiver(page_published, dispatch_uid="publishing.fingerprint.published")
def fingerprint_publication(sender, instance, revision=None, **kwargs):
    from django.db import transaction

    from .actions import record_publication_fingerprint

    page_id, revision_id = instance.pk, getattr(revision, "pk", None)

    def fingerprint() -> None:
        # The publication has committed; a failed rendering must not turn it into an error.
        # verify_fingerprints reports pages whose last publication has no fingerprint match.
        try:
            record_publication_fingerprint(page_id=page_id, revision_id=revision_id)
        except Exception:
            logger.exception("fingerprinting page %s failed after its publication", page_id)

    transaction.on_commit(fingerprint)
