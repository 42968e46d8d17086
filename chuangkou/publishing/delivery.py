"""What happens to published output after a page changes publicly (发布后的页面更新).

``refresh_after_page_change`` is the one entry point the signal receivers call. While the
change's transaction is still open it records which pages and old locations are affected; the
work runs once the transaction commits (``transaction.on_commit``). A rolled-back change does
nothing, and a transaction that touches many pages (deleting a column with its articles, a
workflow publishing several pages) refreshes each affected page once.

The other after-publication duties run whether or not static publishing is on, so they have
their own receivers: the page-cache generation (``cache_invalidation``) and publication
fingerprints (``receivers.fingerprint_publication``).
"""

import logging
from dataclasses import dataclass, field

from django.db import DEFAULT_DB_ALIAS, connections, transaction
from wagtail.models import Page

from . import static_pages

logger = logging.getLogger(__name__)


@dataclass
class PendingDelivery:
    """Work collected during one transaction, run once after it commits."""

    page_ids: list[int] = field(default_factory=list)
    removed: list[tuple[str, str]] = field(default_factory=list)
    trees: list[int] = field(default_factory=list)
    deleted_paths: list[str] = field(default_factory=list)
    done: bool = False

    def run(self) -> None:
        self.done = True
        try:
            trees = list(dict.fromkeys(self.trees))
            static_pages.refresh_static_pages(
                page_ids=self.page_ids, removed_paths=self.removed,
                tree_of=trees[0] if trees else None,
            )
            for page_id in trees[1:]:
                static_pages.refresh_static_pages(page_ids=[], tree_of=page_id)
        except Exception:
            # The publication has committed; a failed file write must not turn it into an
            # error page. nginx answers anything missing from the application, and
            # write_static_pages repairs the files.
            logger.exception("static publishing failed after a page change")


def _pending(using: str = DEFAULT_DB_ALIAS) -> PendingDelivery:
    """The current transaction's batch; the first call registers its run on commit."""
    connection = connections[using]
    if connection.in_atomic_block:
        for _savepoint_ids, callback, _robust in connection.run_on_commit:
            batch = getattr(callback, "__self__", None)
            if isinstance(batch, PendingDelivery) and not batch.done:
                return batch
    batch = PendingDelivery()
    # Outside a transaction this runs at once, before anything is recorded: register it
    # after filling the batch instead (see refresh_after_page_change).
    if connection.in_atomic_block:
        transaction.on_commit(batch.run, using=using)
    return batch


def static_publishing_enabled() -> bool:
    return static_pages.published_root() is not None


def refresh_after_page_change(*, page: Page, old_url_path: str | None = None,
                              deleted: bool = False, whole_tree: bool = False) -> None:
    """Bring published output in line after ``page`` was published, unpublished, moved,
    renamed (slug), deleted, or had its view restrictions changed.

    - ``old_url_path``: the page's Wagtail url_path before a move or slug change; the tree
      there is removed and the tree at the new place is written.
    - ``deleted``: the page is about to be deleted (called before its rows go, so that its
      place and ancestors can still be read); its tree is removed, its listings refreshed.
    - ``whole_tree``: everything below the page changed (view restrictions added or
      removed): its tree is removed and written again with what is public now.
    """
    if not static_publishing_enabled():
        return
    batch = _pending()
    if deleted:
        _record_deletion(batch, page)
    else:
        _record_change(batch, page, old_url_path=old_url_path, whole_tree=whole_tree)
    if not connections[DEFAULT_DB_ALIAS].in_atomic_block:
        batch.run()


def _record_deletion(batch: PendingDelivery, page: Page) -> None:
    if any(page.path.startswith(path) for path in batch.deleted_paths):
        return  # an ancestor deleted in the same transaction covers this page and its place
    batch.deleted_paths.append(page.path)
    batch.removed.extend(
        (location.host, location.path) for location in static_pages.tree_locations(page)
    )
    parent = page.get_parent()
    if parent is not None and parent.depth > 1 and parent.pk not in batch.page_ids:
        batch.page_ids.extend(p.pk for p in static_pages.pages_affected_by(parent))


def _record_change(batch: PendingDelivery, page: Page, *, old_url_path: str | None,
                   whole_tree: bool) -> None:
    from chuangkou.sitecluster.models import ArticlePage

    if old_url_path and old_url_path != page.url_path:
        old = static_pages.location_for_url_path(old_url_path)
        if old is not None:
            batch.removed.append((old.host, old.path))
        # The old parent's listings lose the page (a slug change keeps the same parent).
        old_parent_path = old_url_path.rstrip("/").rsplit("/", 1)[0] + "/"
        old_parent = Page.objects.filter(url_path=old_parent_path, depth=page.depth - 1).first()
        if old_parent is None:
            old_parent = Page.objects.filter(url_path=old_parent_path).first()
        if old_parent is not None and old_parent.depth > 1:
            batch.page_ids.extend(p.pk for p in static_pages.pages_affected_by(old_parent))
        whole_tree = True
    elif whole_tree:
        batch.removed.extend(
            (location.host, location.path) for location in static_pages.tree_locations(page)
        )
    batch.page_ids.extend(p.pk for p in static_pages.pages_affected_by(page))
    if whole_tree or not issubclass(page.specific_class or Page, ArticlePage):
        # A column's or home's title and settings show on the pages below it (breadcrumbs,
        # navigation, footer), and a moved or re-restricted tree must be written anew.
        batch.trees.append(page.pk)
