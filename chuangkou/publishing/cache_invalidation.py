"""Advance the publication generation whenever something visible to anonymous visitors
changes, once the change has committed (a rolled-back publication leaves the cache alone)."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.models import Page, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from chuangkou.organizations.models import Body
from chuangkou.sitecluster.models import ClusterSite

from .freshness import advance_generation


def advance_after_commit() -> None:
    transaction.on_commit(advance_generation)


@receiver(page_published)
@receiver(page_unpublished)
def _page_publication_changed(sender, **kwargs):
    advance_after_commit()


@receiver(post_page_move)
def _page_moved(sender, **kwargs):
    advance_after_commit()


@receiver(post_delete)
def _page_deleted(sender, instance, **kwargs):
    if isinstance(instance, Page) and instance.live:
        advance_after_commit()


@receiver(post_save, sender=ClusterSite)
@receiver(post_save, sender=Site)
@receiver(post_save, sender=Body)
@receiver(post_delete, sender=ClusterSite)
@receiver(post_delete, sender=Site)
def _identity_changed(sender, **kwargs):
    # The footer of every page shows the site's and its sponsor's identity (网站标识码, 主办单位).
    advance_after_commit()
