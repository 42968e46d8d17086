"""RSS 2.0 and Atom 1.0 feeds (信息订阅) of columns and sites, and the
``<link rel="alternate">`` tags that advertise them.

- A column's feed: its newest public articles, those of its sub-columns, and articles adopted
  into any of them (信息报送), linked where they live.
- A site's feed (portal or site home): the newest public articles of the whole site, not of
  sites nested in it that have their own identity, plus articles adopted into its columns.

Links are absolute and canonical: an article of a site with its own hostname links to that
host whichever host the feed was asked on. An item's id (RSS guid, Atom id) is the page's
``translation_key`` as a URN, so it survives renames and moves.
"""

import re
from dataclasses import dataclass
from html import unescape

from django.conf import settings
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed, SyndicationFeed
from django.utils.html import escape, strip_tags
from django.utils.http import http_date
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from wagtail.models import Page

from .choices import SubmissionStatus
from .models import ArticlePage, ArticleSubmission, ClusterSite, ColumnPage
from .queries import column_tree_articles, published, site_for_page
from .syndication import ATOM_ROUTE, RSS_ROUTE, FeedRoutesMixin

FEED_ITEMS = 20
DESCRIPTION_CHARS = 200
RSS_MIME_TYPE = "application/rss+xml"
ATOM_MIME_TYPE = "application/atom+xml"
RSS_LANGUAGE = "zh-cn"  # RSS 2.0 takes the W3C/Netscape language codes
ATOM_LANGUAGE = "zh-Hans"  # xml:lang, as on the HTML pages

# Characters XML 1.0 cannot carry; Django's XML writer refuses them outright.
_XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_BLOCK_END = re.compile(r"(</(?:p|div|li|h[1-6]|td|th|tr|blockquote)>|<br\s*/?>)", re.IGNORECASE)


# Reads ---------------------------------------------------------------------------------------


def column_feed_articles(column: ColumnPage) -> list[ArticlePage]:
    """A column's newest public articles: its own, its sub-columns', and adopted ones."""
    return list(column_tree_articles(column).defer(None)[:FEED_ITEMS])


def _within_site(pages: QuerySet, site: ClusterSite) -> QuerySet:
    """``pages`` under the site's home but not inside a site nested in it.

    Like ``queries.within_site`` but with the nested homes read first (one small query) and
    applied as path prefixes: its correlated subquery scans the page table once per row,
    which a feed over 100,000 articles cannot afford.
    """
    home = site.home_page
    nested_homes = ClusterSite.objects.filter(
        home_page__path__startswith=home.path, home_page__depth__gt=home.depth
    ).values_list("home_page__path", flat=True)
    pages = pages.filter(path__startswith=home.path)
    for path in nested_homes:
        pages = pages.exclude(path__startswith=path)
    return pages


def site_feed_articles(site: ClusterSite) -> list[ArticlePage]:
    """A site's newest public articles (not those of nested sites with their own identity)
    plus articles adopted into its columns, newest first.

    Two bounded queries merged here rather than one OR over two subqueries: each walks the
    publication-date index and stops after ``FEED_ITEMS`` rows.
    """
    order = ("-publication_date", "-pk")
    own = _within_site(published(ArticlePage.objects.all()), site).order_by(*order)
    adopted_ids = ArticleSubmission.objects.filter(
        status=SubmissionStatus.ADOPTED,
        target_column__in=_within_site(ColumnPage.objects.all(), site).values("pk"),
    ).values("article_id")
    adopted = published(ArticlePage.objects.filter(pk__in=adopted_ids)).order_by(*order)
    merged = {article.pk: article for article in [*own[:FEED_ITEMS], *adopted[:FEED_ITEMS]]}
    newest_first = sorted(merged.values(), key=lambda a: (a.publication_date, a.pk), reverse=True)
    return newest_first[:FEED_ITEMS]


# Feed documents ------------------------------------------------------------------------------


class PlainTextAtomFeed(Atom1Feed):
    """Atom whose entry summary is plain text (``type="text"``).

    Django writes ``type="html"``, which would make a reader parse our escaped plain text as
    markup; titles are already Atom's default ``text``.
    """

    def add_item_elements(self, handler, item):
        summary = item["description"]
        super().add_item_elements(handler, {**item, "description": None})
        if summary is not None:
            handler.addQuickElement("summary", summary, {"type": "text"})


def _xml_text(value: str) -> str:
    return _XML_ILLEGAL.sub("", value or "")


def plain_text_summary(article: ArticlePage) -> str:
    """The article's 摘要, or the start of its body as plain text (no markup, no entities)."""
    if article.summary.strip():
        text = article.summary
    else:
        text = unescape(strip_tags(_BLOCK_END.sub(r"\1 ", article.body or "")))
    text = " ".join(_xml_text(text).split())
    return Truncator(text).chars(DESCRIPTION_CHARS)


@dataclass(frozen=True)
class FeedSource:
    """What a feed is about: its title, description, page, publisher and articles."""

    title: str
    description: str
    link: str
    feed_id: str
    publisher: str
    articles: list[ArticlePage]


def feed_source(page: Page) -> FeedSource:
    site = site_for_page(page)
    link = page.get_full_url()
    if link is None:
        raise Http404(_("该页面不在任何站点中。"))
    publisher = site.sponsor if site is not None else settings.WAGTAIL_SITE_NAME
    if isinstance(page, ColumnPage):
        title = f"{page.title} - {site.name}" if site is not None else page.title
        description = page.description or _("%(title)s最新发布的信息") % {"title": title}
        articles = column_feed_articles(page)
    else:
        if site is None or site.home_page_id != page.pk:
            raise Http404(_("该页面不是站点首页。"))
        title = site.name
        description = getattr(page, "introduction", "") or _("%(title)s最新发布的信息") % {
            "title": title
        }
        articles = site_feed_articles(site)
    return FeedSource(
        title=_xml_text(title), description=_xml_text(" ".join(description.split())),
        link=link, feed_id=f"urn:uuid:{page.translation_key}", publisher=_xml_text(publisher),
        articles=articles,
    )


def _build(source: FeedSource, generator: type[SyndicationFeed], *, feed_url: str,
           language: str, escape_markup: bool) -> SyndicationFeed:
    feed = generator(
        title=source.title, link=source.link, description=source.description,
        language=language, feed_url=feed_url, feed_guid=source.feed_id,
        author_name=source.publisher,
    )
    for article in source.articles:
        link = article.get_full_url()  # canonical host: no request, so no "current site" bias
        if link is None:
            continue
        title = _xml_text(article.title)
        summary = plain_text_summary(article)
        published_at = timezone.localtime(article.publication_date).replace(microsecond=0)
        feed.add_item(
            # RSS readers treat title and description as HTML: escape the plain text once
            # more so that "<" reads as "<" (Django's own convention for RSS titles).
            title=escape(title) if escape_markup else title,
            link=link,
            description=(escape(summary) if escape_markup else summary) or None,
            unique_id=f"urn:uuid:{article.translation_key}",
            unique_id_is_permalink=False,
            pubdate=published_at,
            updateddate=published_at,
            author_name=_xml_text(article.author or article.source) or None,
        )
    return feed


def _respond(feed: SyndicationFeed) -> HttpResponse:
    response = HttpResponse(content_type=feed.content_type)
    response.headers["Last-Modified"] = http_date(feed.latest_post_date().timestamp())
    feed.write(response, "utf-8")
    return response


def rss_response(page: Page, request) -> HttpResponse:
    source = feed_source(page)
    feed_url = source.link + page.feed_suffix(RSS_ROUTE)
    return _respond(_build(source, Rss201rev2Feed, feed_url=feed_url, language=RSS_LANGUAGE,
                           escape_markup=True))


def atom_response(page: Page, request) -> HttpResponse:
    source = feed_source(page)
    feed_url = source.link + page.feed_suffix(ATOM_ROUTE)
    return _respond(_build(source, PlainTextAtomFeed, feed_url=feed_url, language=ATOM_LANGUAGE,
                           escape_markup=False))


# Advertising the feeds -----------------------------------------------------------------------


@dataclass(frozen=True)
class AdvertisedFeed:
    title: str
    mime_type: str
    href: str


def advertised_feeds(*, page: Page | None, cluster_site: ClusterSite | None,
                     request) -> list[AdvertisedFeed]:
    """The feeds a page names in its ``<head>``: its own (a column or site home), its column's
    (an article), and its site's."""
    sources: list[tuple[Page, str]] = []
    if isinstance(page, FeedRoutesMixin):
        sources.append((page, page.title))
    elif isinstance(page, ArticlePage):
        parent = page.get_parent()
        if parent is not None and issubclass(parent.specific_class or Page, FeedRoutesMixin):
            sources.append((parent, parent.title))
    if cluster_site is not None and all(p.pk != cluster_site.home_page_id for p, _t in sources):
        sources.append((cluster_site.home_page, cluster_site.name))
    elif cluster_site is not None:
        # The site home names its feeds after the site, not the home page's title.
        sources = [(p, cluster_site.name if p.pk == cluster_site.home_page_id else t)
                   for p, t in sources]

    feeds = []
    for source_page, title in sources:
        url = source_page.get_url(request)
        if url is None:
            continue
        feeds.append(AdvertisedFeed(
            title=_("%(title)s RSS 订阅") % {"title": title}, mime_type=RSS_MIME_TYPE,
            href=url + FeedRoutesMixin.feed_suffix(RSS_ROUTE),
        ))
        feeds.append(AdvertisedFeed(
            title=_("%(title)s Atom 订阅") % {"title": title}, mime_type=ATOM_MIME_TYPE,
            href=url + FeedRoutesMixin.feed_suffix(ATOM_ROUTE),
        ))
    return feeds

