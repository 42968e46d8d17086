"""What the site cluster puts in the search index (检索): every article the public can read.

Source ``"page"``: a live ``ArticlePage`` with no view restriction on it or above it (the rule of
``queries.published``). Its document carries the body as plain text with the attachments'
titles, the subtitle, summary and keywords (weighted like the title), the public address, the
publication date, the site (nearest site home above it), every column above it plus the columns
it was adopted into (信息报送: a column's listing shows adopted articles, so a search "in this
column" finds them too) and the responsible body: the nearest column above it that names one
(栏目责任制), else the site's owner body.

What changes a document, and is therefore recorded in the change log in the same transaction:

- the article itself (saved, published, unpublished, deleted; also when Wagtail saves it as a
  plain ``Page``, as the scheduled unpublishing does), its attachments and the documents they
  name, its adoption into another column;
- a view restriction set or lifted on it or above it (the articles beneath);
- a page moved (``post_page_move``) or renamed in the address (slug), and a column whose
  responsible body changes (the articles beneath);
- a site whose name, owner, hostname or Wagtail site changes, or that is opened or closed (the
  articles beneath its home: their site name, body or address changed).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from html import unescape

from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet
from django.db.models.signals import post_save, pre_save
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.models import Page, PageViewRestriction, Site, get_page_models
from wagtail.signals import post_page_move

from chuangkou.search.actions import record_index_changes
from chuangkou.search.choices import DocumentType
from chuangkou.search.documents import SearchDocument, SearchSource, register_source, watch

from .choices import SubmissionStatus
from .models import ArticleAttachment, ArticlePage, ArticleSubmission, ClusterSite, ColumnPage
from .queries import published, subtree

__all__ = [
    "BATCH_SIZE",
    "SOURCE_NAME",
    "article_documents",
    "article_keys_under",
    "iter_article_documents",
    "plain_text",
]

SOURCE_NAME = "page"
BATCH_SIZE = 500

# Block-level elements end a paragraph: they become a space. Inline elements (b, a, span, ...)
# vanish without one, or "<b>养老</b>保险" would reach the segmenter as two words.
_DROPPED_WITH_CONTENT = re.compile(r"<(script|style)\b[^>]*>.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
_BLOCK_TAG = re.compile(
    r"</?(?:p|div|li|ul|ol|h[1-6]|table|thead|tbody|tfoot|tr|td|th|caption|blockquote|pre|hr|br"
    r"|embed|img|figure|figcaption|section|article|dl|dt|dd)\b[^>]*>",
    re.IGNORECASE,
)
_TAG = re.compile(r"<[^>]*>")


def plain_text(html: str) -> str:
    """Rich text as the index reads it: tags removed, paragraphs separated by a space,
    entities unescaped (``&nbsp;`` and ``&lt;`` become characters), runs of space collapsed.

    Stored rich text is cleaned by Wagtail's whitelister (``core.richtext``), so tags are
    well-formed and a regular expression is enough; an HTML parser cost several times as much
    during a rebuild.
    """
    text = _DROPPED_WITH_CONTENT.sub(" ", html or "")
    text = _TAG.sub("", _BLOCK_TAG.sub(" ", text))
    return " ".join(unescape(text).split())


def _joined(*parts: str) -> str:
    return " ".join(part.strip() for part in parts if part and part.strip())


def _ids(identifiers: Iterable[str]) -> list[int]:
    """The integer ids among ``identifiers``; anything else names no page (and is deleted)."""
    return sorted({int(identifier) for identifier in identifiers
                   if str(identifier).isascii() and str(identifier).isdigit()})


def _ancestor_paths(path: str, steplen: int) -> list[str]:
    """The materialised paths of every page above ``path``, outermost first."""
    return [path[:end] for end in range(steplen, len(path), steplen)]


class _PageUrls:
    """Public addresses of pages, with the sites' root paths read once for a whole batch.

    A page served on the portal's host (the default Wagtail site, which also serves the sites
    without a hostname of their own as paths such as ``/jyj/``) gets a path; a page of a site on
    its own hostname gets a full URL. Wagtail's ``get_url_parts`` caches the root paths on the
    object passed as ``request``; this object plays that part.
    """

    def __init__(self) -> None:
        self._wagtail_cached_site_root_paths = Site.get_site_root_paths()
        self.portal_site_id = (Site.objects.filter(is_default_site=True)
                               .values_list("pk", flat=True).first())

    def url(self, page: Page) -> str | None:
        parts = page.get_url_parts(request=self)
        if parts is None or parts[2] is None:
            return None
        site_id, root_url, path = parts
        return path if site_id == self.portal_site_id else f"{root_url}{path}"


# Only what a document shows: a Page row has some thirty columns, an article's body is large.
_ARTICLE_FIELDS = ("id", "path", "url_path", "title", "body", "subtitle", "summary", "keywords",
                   "publication_date")


def _public_articles() -> QuerySet[ArticlePage]:
    return published(ArticlePage.objects.all()).only(*_ARTICLE_FIELDS).order_by("pk")


def _documents(articles: list[ArticlePage]) -> list[SearchDocument]:
    """Documents for ``articles`` (already known to be public) in five to seven queries: the
    attachments, the adoptions, the columns and sites above them, the default site and (unless
    cached) the Wagtail sites' root paths. Related rows are read as values: Django's
    ``prefetch_related`` builds a manager per article, which cost more than the queries."""
    if not articles:
        return []
    steplen = ArticlePage.steplen
    article_ids = [article.pk for article in articles]
    attachments: dict[int, list[str]] = {}
    for article_id, title, document_title in (
            ArticleAttachment.objects.filter(article_id__in=article_ids)
            .order_by("article_id", "sort_order", "pk")
            .values_list("article_id", "title", "document__title")):
        attachments.setdefault(article_id, []).append(title or document_title)
    adopted: dict[int, list[str]] = {}
    for article_id, column_path in (
            ArticleSubmission.objects
            .filter(article_id__in=article_ids, status=SubmissionStatus.ADOPTED)
            .values_list("article_id", "target_column__path")):
        adopted.setdefault(article_id, []).append(column_path)
    above = {article.pk: _ancestor_paths(article.path, steplen) for article in articles}
    column_paths = set().union(*above.values())
    for paths in adopted.values():
        for path in paths:
            column_paths.update(_ancestor_paths(path, steplen), [path])
    columns = {
        path: (pk, body_id, body_name)
        for pk, path, body_id, body_name in ColumnPage.objects.filter(path__in=column_paths)
        .values_list("pk", "path", "responsible_body_id", "responsible_body__name")
    }
    sites = {
        home_path: (pk, name, body_id, body_name)
        for pk, name, home_path, body_id, body_name in ClusterSite.objects
        .filter(home_page__path__in=set().union(*above.values()))
        .values_list("pk", "name", "home_page__path", "owner_body_id", "owner_body__name")
    }
    urls = _PageUrls()
    documents = []
    for article in articles:
        url = urls.url(article)
        if url is None:
            continue  # outside every Wagtail site: nobody can reach it
        ancestors = above[article.pk]
        site = next((sites[path] for path in reversed(ancestors) if path in sites), None)
        own_columns = [columns[path] for path in ancestors if path in columns]
        adopted_columns = [columns[path]
                           for target in adopted.get(article.pk, ())
                           for path in [*_ancestor_paths(target, steplen), target]
                           if path in columns]
        responsible = next((column for column in reversed(own_columns) if column[1]), None)
        body_id, body_name = ((responsible[1], responsible[2]) if responsible
                              else (site[2], site[3]) if site else (None, ""))
        documents.append(SearchDocument(
            key=f"{SOURCE_NAME}:{article.pk}",
            type=DocumentType.ARTICLE,
            title=article.title,
            text=_joined(plain_text(article.body), *attachments.get(article.pk, ())),
            url=url,
            date=timezone.localdate(article.publication_date),
            site_id=site[0] if site else None,
            site_name=site[1] if site else "",
            column_ids=tuple(dict.fromkeys(column[0] for column in own_columns + adopted_columns)),
            body_id=body_id,
            body_name=body_name or "",
            keywords=_joined(article.subtitle, article.summary, article.keywords),
        ))
    return documents


def article_documents(identifiers: Sequence[str]) -> list[SearchDocument]:
    """The public articles among ``identifiers`` (page ids), in a fixed number of queries."""
    ids = _ids(identifiers)
    if not ids:
        return []
    return _documents(list(_public_articles().filter(pk__in=ids)))


def iter_article_documents(batch_size: int = BATCH_SIZE) -> Iterator[SearchDocument]:
    """Every public article, ``batch_size`` at a time in id order (keyset, not offsets, so a
    late batch costs what the first did)."""
    last = 0
    while True:
        batch = list(_public_articles().filter(pk__gt=last)[:batch_size])
        if not batch:
            return
        yield from _documents(batch)
        last = batch[-1].pk


register_source(SearchSource(name=SOURCE_NAME, get_documents=article_documents,
                             iter_documents=iter_article_documents))


# What changes the documents ------------------------------------------------------------------


def article_keys_under(path: str | None) -> list[str]:
    """Keys of every article at or below the page with ``path`` (one query), public or not:
    the index drops those that are not."""
    if not path:
        return []
    return [f"{SOURCE_NAME}:{pk}"
            for pk in ArticlePage.objects.filter(subtree(path)).values_list("pk", flat=True)]


def _path_of(page_id: int | None) -> str | None:
    if page_id is None:
        return None
    return Page.objects.filter(pk=page_id).values_list("path", flat=True).first()


def _article_key(page: Page) -> list[str]:
    return [f"{SOURCE_NAME}:{page.pk}"]


def _plain_page_keys(page: Page) -> list[str]:
    """An article saved or deleted as a plain ``Page`` (Wagtail's scheduled unpublishing
    loads pages that way): its ``post_save`` names ``Page``, not ``ArticlePage``."""
    article_type = ContentType.objects.get_for_model(ArticlePage)
    return _article_key(page) if page.content_type_id == article_type.pk else []


def _attachment_keys(attachment: ArticleAttachment) -> list[str]:
    return [f"{SOURCE_NAME}:{attachment.article_id}"]


def _document_keys(document) -> list[str]:
    """An attachment without its own title shows the document's title."""
    return [f"{SOURCE_NAME}:{article_id}" for article_id in
            ArticleAttachment.objects.filter(document_id=document.pk, title="")
            .values_list("article_id", flat=True).distinct()]


def _submission_keys(submission: ArticleSubmission) -> list[str]:
    return [f"{SOURCE_NAME}:{submission.article_id}"]


def _restriction_keys(restriction: PageViewRestriction) -> list[str]:
    return article_keys_under(_path_of(restriction.page_id))


watch(ArticlePage, _article_key)
watch(Page, _plain_page_keys)
watch(ArticleAttachment, _attachment_keys)
watch(get_document_model(), _document_keys)
watch(ArticleSubmission, _submission_keys)
watch(PageViewRestriction, _restriction_keys)


# A site's identity: compared with the stored row so that editing a phone number does not
# re-index a whole site.
_SITE_FIELDS = ("name", "owner_body_id", "hostname", "home_page_id", "wagtail_site_id",
                "is_portal")
_UNCHANGED = object()


def _remember_site(sender, instance: ClusterSite, raw=False, **kwargs) -> None:
    if raw or instance.pk is None:
        instance._search_site_before = None
        return
    instance._search_site_before = (ClusterSite.objects.filter(pk=instance.pk)
                                    .values_list(*_SITE_FIELDS).first())


def _site_keys(site: ClusterSite) -> list[str]:
    """All articles beneath the site's home when what documents show of the site changed;
    after a deletion (no remembered row) always."""
    before = site.__dict__.pop("_search_site_before", _UNCHANGED)
    if before is not _UNCHANGED and before is not None and before == tuple(
            getattr(site, field) for field in _SITE_FIELDS):
        return []
    return article_keys_under(_path_of(site.home_page_id))


pre_save.connect(_remember_site, sender=ClusterSite, dispatch_uid="sitecluster.search.site")
watch(ClusterSite, _site_keys)


def _remember_page_address(sender, instance: Page, raw=False, update_fields=None,
                           **kwargs) -> None:
    """Before a page other than an article is saved: whether its slug (every address below it)
    or, for a column, its responsible body (the body of the articles below it) changes."""
    instance._search_page_changed = False
    if raw or instance.pk is None:
        return
    watched = (("slug", "responsible_body", "responsible_body_id")
               if isinstance(instance, ColumnPage) else ("slug",))
    if update_fields is not None and not set(watched) & set(update_fields):
        return  # a draft revision or other bookkeeping: nothing the documents show
    model = ColumnPage if isinstance(instance, ColumnPage) else Page
    fields = ["slug", "responsible_body_id"] if model is ColumnPage else ["slug"]
    stored = model.objects.filter(pk=instance.pk).values_list(*fields).first()
    if stored is not None and stored != tuple(getattr(instance, field) for field in fields):
        instance._search_page_changed = True


def _record_page_address(sender, instance: Page, raw=False, **kwargs) -> None:
    if not raw and instance.__dict__.pop("_search_page_changed", False):
        keys = article_keys_under(instance.path)
        if keys:
            record_index_changes(keys=keys)


for _page_model in get_page_models():
    if issubclass(_page_model, ArticlePage):
        continue  # an article's own save records its own key
    _uid = f"sitecluster.search.address.{_page_model._meta.label}"
    pre_save.connect(_remember_page_address, sender=_page_model, dispatch_uid=_uid)
    post_save.connect(_record_page_address, sender=_page_model, dispatch_uid=_uid)


def _page_moved(sender, instance: Page, **kwargs) -> None:
    """A moved page takes its subtree along: addresses, site, columns and body may all change."""
    keys = article_keys_under(instance.path)
    if keys:
        record_index_changes(keys=keys)


post_page_move.connect(_page_moved, dispatch_uid="sitecluster.search.page_moved")
