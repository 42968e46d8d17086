"""Reads of sites, columns, articles and submissions, with related objects fetched up front."""

from datetime import date

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.db.models.functions import ExtractMonth, ExtractYear
from django.db.models.lookups import StartsWith
from wagtail.models import Page, PageQuerySet, PageViewRestriction

from chuangkou.organizations.models import Body

from .choices import ColumnKind, SubmissionStatus
from .models import ArticlePage, ArticleSubmission, ClusterSite, ColumnPage, SiteHomePage

# Materialised paths use the characters 0-9 and A-Z (Wagtail's alphabet), so every path that
# starts with ``p`` lies between ``p`` and ``p`` followed by "Z"s. A range uses the path index
# on SQLite, where Django's ``startswith`` (LIKE 'p%') scans the whole page table; at 100,000
# articles that was a quarter of a second per navigation menu.
_PATH_CEILING = "Z" * 255


def subtree(path: str, *, field: str = "path") -> Q:
    """Rows whose ``field`` path is ``path`` or below it (the page and its descendants)."""
    return Q(**{f"{field}__gte": path, f"{field}__lte": path + _PATH_CEILING[len(path):]})


def children_of(page: Page) -> Q:
    return subtree(page.path) & Q(depth=page.depth + 1)


def descendants_of(page: Page) -> Q:
    return subtree(page.path) & Q(depth__gt=page.depth)


def site_for_page(page: Page) -> ClusterSite | None:
    """The cluster site a page belongs to: the nearest ancestor (or itself) that is a site home."""
    steplen = page.steplen
    ancestor_paths = [page.path[:end] for end in range(steplen, len(page.path) + 1, steplen)]
    return (
        ClusterSite.objects.filter(home_page__path__in=ancestor_paths)
        .select_related("home_page", "owner_body")
        .order_by("-home_page__depth")
        .first()
    )


def within_site(pages: PageQuerySet, site: ClusterSite) -> PageQuerySet:
    """Pages whose nearest site home is ``site``'s: below its home, not inside a nested site.

    The nested sites' homes are read first (a handful of rows) and cut out by path range; a
    correlated subquery per page scanned the page table once per row (minutes at 100,000).
    """
    home = site.home_page
    nested_homes = ClusterSite.objects.filter(
        subtree(home.path, field="home_page__path"), home_page__depth__gt=home.depth
    ).values_list("home_page__path", flat=True)
    condition = subtree(home.path)
    for nested_path in nested_homes:
        condition &= ~subtree(nested_path)
    return pages.filter(condition)


def published(pages: PageQuerySet) -> PageQuerySet:
    """What the public may read: live pages outside sections with view restrictions.

    Wagtail's ``public()`` means the same but queries the restrictions as soon as it is called;
    a subquery keeps building the queryset free of database access (schema generation, filter
    choices) and saves the request a query.
    """
    restricted_section_above_page = PageViewRestriction.objects.filter(
        StartsWith(OuterRef("path"), F("page__path"))
    )
    return pages.live().filter(~Exists(restricted_section_above_page))


def portal_site() -> ClusterSite | None:
    return ClusterSite.objects.filter(is_portal=True).select_related("home_page").first()


def column_articles(column: ColumnPage) -> QuerySet[ArticlePage]:
    """A column's live articles, newest first: its own children plus adopted submissions."""
    adopted = ArticleSubmission.objects.filter(
        target_column=column, status=SubmissionStatus.ADOPTED
    ).values("article_id")
    return (
        published(ArticlePage.objects.all())
        .filter(children_of(column) | Q(pk__in=adopted))
        .defer("body")
        .order_by("-publication_date", "-pk")
    )


HOME_ARTICLES_PER_COLUMN = 6


def column_tree_articles(column: ColumnPage) -> QuerySet[ArticlePage]:
    """Live articles anywhere under a column (its sub-columns too) plus those adopted into any
    column of that tree, newest first: what a home page shows for a main column."""
    adopted = ArticleSubmission.objects.filter(
        subtree(column.path, field="target_column__path"), status=SubmissionStatus.ADOPTED
    ).values("article_id")
    return (
        published(ArticlePage.objects.all())
        .filter(subtree(column.path) | Q(pk__in=adopted))
        .defer("body")
        .order_by("-publication_date", "-pk")
    )


def subcolumns(page: Page) -> QuerySet[ColumnPage]:
    return ColumnPage.objects.filter(children_of(page)).live().order_by("path")


def menu_columns(home: Page) -> QuerySet[ColumnPage]:
    """Columns shown in a site's main navigation, in tree order."""
    return (ColumnPage.objects.filter(children_of(home)).live().in_menu()
            .exclude(kind=ColumnKind.CHANNEL))


def home_page_context(home: Page) -> dict:
    """What a portal or site home shows: its columns with their latest articles, channels and
    the cluster's sub-sites."""
    columns = list(ColumnPage.objects.filter(children_of(home)).live().order_by("path"))
    latest = {}
    for column in columns:
        if column.kind != ColumnKind.CHANNEL:
            latest[column.pk] = list(column_tree_articles(column)[:HOME_ARTICLES_PER_COLUMN])
    return {
        "home_columns": [(column, latest[column.pk]) for column in columns if column.pk in latest],
        "channels": [column for column in columns if column.kind == ColumnKind.CHANNEL],
        "sub_sites": list(
            SiteHomePage.objects.filter(descendants_of(home)).live().order_by("path")
        ),
    }


def articles_of_site(site: ClusterSite) -> QuerySet[ArticlePage]:
    return (ArticlePage.objects.live().filter(descendants_of(site.home_page))
            .order_by("-publication_date"))


def submissions_for_review(user) -> QuerySet[ArticleSubmission]:
    """Pending submissions to columns that ``user`` may edit (the portal editors' inbox)."""
    submissions = ArticleSubmission.objects.filter(status=SubmissionStatus.PENDING)
    if not user.is_superuser:
        column_ids = [
            column.pk
            for column in ColumnPage.objects.filter(
                pk__in=submissions.values("target_column_id")
            )
            if column.permissions_for_user(user).can_edit()
        ]
        submissions = submissions.filter(target_column_id__in=column_ids)
    return submissions.select_related(
        "article", "target_column", "submitting_body", "submitted_by"
    ).order_by("submitted_at")


def submissions_by_bodies(bodies) -> QuerySet[ArticleSubmission]:
    return (
        ArticleSubmission.objects.filter(submitting_body__in=bodies)
        .select_related("article", "target_column", "submitting_body", "submitted_by", "decided_by")
        .order_by("-submitted_at")
    )


def adoption_counts(*, year: int, month: int | None = None, body: Body | None = None) -> list[dict]:
    """信息报送采用情况: submissions per body and month with how many were adopted/declined."""
    submissions = ArticleSubmission.objects.filter(submitted_at__year=year)
    if month is not None:
        submissions = submissions.filter(submitted_at__month=month)
    if body is not None:
        submissions = submissions.filter(submitting_body=body)
    rows = (
        submissions.annotate(year=ExtractYear("submitted_at"), month=ExtractMonth("submitted_at"))
        .values("submitting_body_id", "submitting_body__name", "year", "month")
        .annotate(
            submitted=Count("pk"),
            adopted=Count("pk", filter=Q(status=SubmissionStatus.ADOPTED)),
            declined=Count("pk", filter=Q(status=SubmissionStatus.DECLINED)),
            pending=Count("pk", filter=Q(status=SubmissionStatus.PENDING)),
        )
        .order_by("year", "month", "submitting_body__name")
    )
    return [
        {
            "body_id": row["submitting_body_id"],
            "body": row["submitting_body__name"],
            "year": row["year"],
            "month": row["month"],
            "submitted": row["submitted"],
            "adopted": row["adopted"],
            "declined": row["declined"],
            "pending": row["pending"],
        }
        for row in rows
    ]


def last_publication_date(column: ColumnPage) -> date | None:
    latest = column_articles(column).values_list("publication_date", flat=True).first()
    return latest.date() if latest else None


def site_for_request(request) -> ClusterSite | None:
    """The cluster site a request is for: the site on the request's own hostname, else the
    site whose path the URL points into, else the portal."""
    host = request.get_host().rsplit(":", 1)[0].lower() if request.get_host() else ""
    on_host = (ClusterSite.objects.filter(hostname=host).select_related("home_page").first()
               if host else None)
    return (on_host or site_for_path(request.path)
            or ClusterSite.objects.filter(is_portal=True).select_related("home_page").first())


def site_for_path(path: str) -> ClusterSite | None:
    """The site whose pages a public URL path points into (portal when nothing closer)."""
    from urllib.parse import urlsplit

    path = urlsplit(path).path or "/"
    candidates = ClusterSite.objects.filter(hostname__isnull=True).select_related("home_page")
    best = None
    for site in candidates:
        url_parts = site.home_page.get_url_parts()
        url = url_parts[2] if url_parts else ""
        if path.startswith(url) and (best is None or len(url) > len(best[0])):
            best = (url, site)
    return best[1] if best else None
