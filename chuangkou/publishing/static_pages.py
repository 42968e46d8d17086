"""Static publishing (静态发布): anonymous pages written as files for nginx to answer.

When ``settings.PUBLISHED_PAGES_ROOT`` is set, every public page is kept as a file at

    PUBLISHED_PAGES_ROOT/<host>/<url path>/index.html       (+ index.html.gz)
    PUBLISHED_PAGES_ROOT/<host>/<url path>/feed/rss/index.rss   (columns and site homes)
    PUBLISHED_PAGES_ROOT/<host>/<url path>/feed/atom/index.atom
    PUBLISHED_PAGES_ROOT/<host>/sitemap.xml, robots.txt     (full rebuilds)

where <host> is the hostname of the Wagtail Site the page is served on. The bytes are the
application's own answer to an anonymous visitor (``rendering.render_anonymous``), so a file
is exactly what the application would have said. A file exists only for a page that is live,
public (no view restriction on it or an ancestor) and answered 200 without setting a cookie;
for anything else the file is removed and nginx hands the request to the application.

Files are replaced atomically (temporary file + ``os.replace``), so nginx never reads half a
page, and a removed tree is first renamed out of the way, so it disappears at once.
deploy/nginx/chuangkou.conf.template is the other half of this contract.
"""

import contextlib
import fcntl
import gzip
import logging
import os
import re
import shutil
import tempfile
import time
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.urls import NoReverseMatch, reverse
from wagtail.models import Page, PageQuerySet, Site

from chuangkou.sitecluster.choices import SubmissionStatus
from chuangkou.sitecluster.models import (
    ArticlePage,
    ArticleSubmission,
    ClusterSite,
    ColumnPage,
    PortalHomePage,
    SiteHomePage,
)
from chuangkou.sitecluster.queries import published, site_for_page, within_site

from .rendering import RenderedPage, render_anonymous

logger = logging.getLogger(__name__)

PAGE_FILE = "index.html"
#: (URL suffix below a page, file name) of the feeds of columns and site homes.
FEEDS = (("feed/rss/", "index.rss"), ("feed/atom/", "index.atom"))
#: Files per host written by full rebuilds (and removed when their URL stops answering 200).
HOST_FILES = ("sitemap.xml", "robots.txt")
#: Every file name this module owns inside a page directory (sweeps touch nothing else).
OWNED_NAMES = frozenset(
    name
    for base in (PAGE_FILE, *(file for _suffix, file in FEEDS), *HOST_FILES)
    for name in (base, base + ".gz")
) | {".lock"}
TRASH_DIR = ".trash"
BATCH_SIZE = 500
#: How many pages below a changed column or home are re-rendered at once after publication;
#: beyond this, the rest waits for ``write_static_pages`` (nightly timer in deploy/systemd).
INLINE_TREE_LIMIT = 2000

_HOST_RE = re.compile(r"^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$")


class UnsafePath(ValueError):
    """A host or URL path that cannot be mapped to a file under the published root."""


@dataclass(frozen=True)
class Location:
    """Where a page is served: the Wagtail Site's hostname and the percent-encoded URL path."""

    host: str
    path: str
    url: str


@dataclass
class Report:
    """What a refresh or rebuild did."""

    written: int = 0
    removed: int = 0
    pages: int = 0
    seconds: float = 0.0
    skipped: list[str] = field(default_factory=list)

    def add(self, other: "Report") -> None:
        self.written += other.written
        self.removed += other.removed
        self.pages += other.pages
        self.skipped.extend(other.skipped)


# -- configuration and locations ---------------------------------------------------------------


def published_root() -> Path | None:
    """The static publishing root, or None when static publishing is off."""
    root = getattr(settings, "PUBLISHED_PAGES_ROOT", "")
    return Path(root) if root else None


def _public_scheme(scheme: str) -> str:
    # Behind TLS the Site rows keep port 80; rendering over http would only earn a redirect.
    return "https" if getattr(settings, "SECURE_SSL_REDIRECT", False) else scheme


def _location(root_url: str, page_path: str) -> Location | None:
    parts = urlsplit(root_url)
    if not parts.hostname:
        return None
    scheme = _public_scheme(parts.scheme or "http")
    netloc = parts.netloc if scheme == parts.scheme else parts.hostname
    return Location(host=parts.hostname.lower(), path=page_path,
                    url=f"{scheme}://{netloc}{page_path}")


def location_for(page: Page) -> Location | None:
    """The canonical location of a page (Wagtail's own choice of site), None if unroutable."""
    parts = page.get_url_parts()
    if not parts or parts[1] is None or parts[2] is None:
        return None
    return _location(parts[1], parts[2])


def location_for_url_path(url_path: str) -> Location | None:
    """Where a page with this Wagtail ``url_path`` is served (used for a page's old place)."""
    for root in Site.get_site_root_paths():
        if url_path.startswith(root.root_path):
            try:
                page_path = reverse("wagtail_serve", args=(url_path[len(root.root_path):],))
            except NoReverseMatch:
                return None
            return _location(root.root_url, page_path)
    return None


def tree_locations(page: Page) -> list[Location]:
    """The page's location plus the roots of sites on other hosts below it (its whole tree)."""
    locations = [location] if (location := location_for(page)) else []
    for site in Site.objects.filter(root_page__path__startswith=page.path).exclude(
        root_page_id=page.pk
    ):
        locations.append(Location(host=site.hostname.lower(), path="/", url=site.root_url + "/"))
    return locations


def directory_for(*, host: str, path: str, root: Path | None = None) -> Path:
    """The directory of a URL path under the published root; refuses anything but a plain
    hostname and clean path segments ('..', '.', hidden names, NUL and backslashes)."""
    root = root or published_root()
    if root is None:
        raise UnsafePath("static publishing is off (PUBLISHED_PAGES_ROOT is empty)")
    host = (host or "").lower()
    if not _HOST_RE.match(host):
        raise UnsafePath(f"not a hostname: {host!r}")
    decoded = unquote(path or "/", errors="strict")
    if not decoded.startswith("/"):
        raise UnsafePath(f"not an absolute URL path: {path!r}")
    segments = [segment for segment in decoded.split("/") if segment != ""]
    for segment in segments:
        if segment in {".", ".."} or segment.startswith(".") or "\x00" in segment or "\\" in segment:
            raise UnsafePath(f"unsafe URL path: {path!r}")
    base = (root / host).resolve()
    target = base.joinpath(*segments)
    if not target.resolve().is_relative_to(base):
        raise UnsafePath(f"URL path escapes the published root: {path!r}")
    return target


# -- files -------------------------------------------------------------------------------------


def _atomic_write(target: Path, data: bytes) -> None:
    fd, temporary = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            os.fchmod(handle.fileno(), 0o644)  # nginx workers run as another user
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _write(target: Path, data: bytes) -> None:
    """Write a file and its gzip twin (for nginx's gzip_static); the twin goes first so the
    plain file, which nginx checks, never points at an older compressed copy for long."""
    target.parent.mkdir(parents=True, exist_ok=True)
    _atomic_write(target.with_name(target.name + ".gz"), gzip.compress(data, 6, mtime=0))
    _atomic_write(target, data)


def _remove(target: Path) -> bool:
    """Remove a file and its gzip twin (the plain file first: nginx looks for it)."""
    existed = target.exists()
    target.unlink(missing_ok=True)
    target.with_name(target.name + ".gz").unlink(missing_ok=True)
    return existed


def _publishable(rendered: RenderedPage, *, expect: str) -> bool:
    """A response that may be answered to every anonymous visitor from a file."""
    cache_control = rendered.header("Cache-Control").lower()
    return (
        rendered.status == 200
        and expect in rendered.content_type.lower()
        and not rendered.header("Set-Cookie")
        and "private" not in cache_control
        and "no-store" not in cache_control
    )


def _publish_url(url: str, target: Path, *, expect: str, report: Report) -> None:
    rendered = render_anonymous(url=url)
    if _publishable(rendered, expect=expect):
        _write(target, rendered.body)
        report.written += 1
    elif _remove(target):
        report.removed += 1


def _has_feeds(page: Page) -> bool:
    return issubclass(page.specific_class or Page, ColumnPage | SiteHomePage | PortalHomePage)


@contextlib.contextmanager
def _page_lock(directory: Path):
    """Serialise render-and-write of one page across processes (granian workers).

    Two publications committing close together may render a listing in either order; with
    the lock, whoever writes last also rendered last, after both commits, so the file never
    goes back to an older state.
    """
    directory.mkdir(parents=True, exist_ok=True)
    with open(directory / ".lock", "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _publish_page(page: Page, location: Location, *, public: bool, root: Path,
                  report: Report) -> list[Path]:
    """Write (or remove) the files of one page; returns the directories it owns."""
    try:
        directory = directory_for(host=location.host, path=location.path, root=root)
    except UnsafePath as refused:
        report.skipped.append(str(refused))
        logger.warning("static publishing skipped page %s: %s", page.pk, refused)
        return []
    report.pages += 1
    targets = [(location.url, directory / PAGE_FILE, "html")]
    if _has_feeds(page):
        targets += [(location.url + suffix, directory.joinpath(*suffix.split("/")[:-1], name), "xml")
                    for suffix, name in FEEDS]
    if not public:
        for _url, target, _expect in targets:
            report.removed += _remove(target)
        return [target.parent for _url, target, _expect in targets]
    with _page_lock(directory):
        for url, target, expect in targets:
            _publish_url(url, target, expect=expect, report=report)
    return [target.parent for _url, target, _expect in targets]


def _trash(directory: Path, root: Path) -> bool:
    """Take a directory out of nginx's sight at once (rename), then delete it."""
    if not directory.exists():
        return False
    trash = root / TRASH_DIR
    trash.mkdir(parents=True, exist_ok=True)
    doomed = trash / uuid.uuid4().hex
    os.rename(directory, doomed)
    shutil.rmtree(doomed, ignore_errors=True)
    return True


# -- what a change affects ---------------------------------------------------------------------


def _chain_to_home(page: Page) -> list[Page]:
    """The page's ancestor columns up to and including the nearest site home, nearest first."""
    chain = []
    ancestors = Page.objects.ancestor_of(page).filter(depth__gt=1).order_by("-depth").specific()
    for ancestor in ancestors:
        if isinstance(ancestor, ColumnPage):
            chain.append(ancestor)
        elif isinstance(ancestor, PortalHomePage | SiteHomePage):
            chain.append(ancestor)
            break
    return chain


def pages_affected_by(page: Page) -> list[Page]:
    """Pages whose anonymous HTML may change when ``page`` is published or withdrawn.

    The page itself; its ancestor columns (listings) and its site home (latest articles per
    column); for an article adopted into other columns (信息报送), those columns and their
    homes, which is how the portal home lists another site's article; for a site home, every
    home above it (their "sub-sites" lists). See sitecluster.queries.home_page_context.
    """
    page = page.specific
    affected: dict[int, Page] = {page.pk: page}
    if isinstance(page, SiteHomePage | PortalHomePage):
        if isinstance(page, SiteHomePage):
            for ancestor in Page.objects.ancestor_of(page).filter(depth__gt=1).specific():
                if isinstance(ancestor, PortalHomePage | SiteHomePage):
                    affected.setdefault(ancestor.pk, ancestor)
    else:
        for ancestor in _chain_to_home(page):
            affected.setdefault(ancestor.pk, ancestor)
    if isinstance(page, ArticlePage):
        targets = ColumnPage.objects.filter(
            pk__in=ArticleSubmission.objects.filter(article_id=page.pk)
            .exclude(status=SubmissionStatus.PENDING)
            .values("target_column_id")
        )
        for column in targets:
            affected.setdefault(column.pk, column)
            for ancestor in _chain_to_home(column):
                affected.setdefault(ancestor.pk, ancestor)
    return list(affected.values())


def dependent_pages(page: Page) -> PageQuerySet:
    """Public pages that show ``page``'s title or settings besides those it lists: below a
    column, every page (breadcrumbs); for a site home or a menu column, the whole site
    (header navigation, footer identity)."""
    page = page.specific
    site = site_for_page(page)
    whole_site = isinstance(page, SiteHomePage | PortalHomePage) or (
        isinstance(page, ColumnPage) and site is not None
        and page.depth == site.home_page.depth + 1
    )
    if whole_site and site is not None:
        return within_site(published(Page.objects.all()), site)
    return published(Page.objects.descendant_of(page))


def site_pages(site: ClusterSite | None = None):
    """Every public page of the cluster (or of one site), in tree order."""
    pages = published(Page.objects.filter(depth__gt=1))
    if site is not None:
        pages = within_site(pages, site)
    return pages


def _batches(pages, *, size: int = BATCH_SIZE, limit: int | None = None) -> Iterator[list[Page]]:
    """Keyset-paginated batches in tree order: constant memory for any number of pages."""
    last_path, seen = "", 0
    while True:
        batch = list(pages.filter(path__gt=last_path).order_by("path")[:size])
        if limit is not None:
            batch = batch[: max(0, limit - seen)]
        if not batch:
            return
        yield batch
        seen += len(batch)
        last_path = batch[-1].path
        if len(batch) < size:
            return


# -- operations --------------------------------------------------------------------------------


def remove_static_tree(*, host: str, path: str) -> bool:
    """Remove a page's directory and everything under it (unpublish, move, delete)."""
    root = published_root()
    if root is None:
        return False
    directory = directory_for(host=host, path=path, root=root)
    removed = _trash(directory, root)
    if removed:
        _remove_host_files(host, root)
    return removed


def _remove_host_files(host: str, root: Path) -> None:
    # The sitemap lists every page: a stale copy is dropped (nginx then asks the application)
    # and the next full rebuild writes it again.
    _remove(root / host / "sitemap.xml")


def refresh_static_pages(*, page_ids: Iterable[int], removed_paths: Iterable[tuple[str, str]] = (),
                         tree_of: int | None = None) -> Report:
    """Bring the files of these pages in line with what the application answers now.

    ``removed_paths`` are (host, path) trees removed first (a page's old place after a move,
    a deleted page). ``tree_of`` names a page whose dependent pages (``dependent_pages``) are
    re-rendered too, up to ``INLINE_TREE_LIMIT``.
    """
    started = time.monotonic()
    report = Report()
    root = published_root()
    if root is None:
        return report
    hosts: set[str] = set()
    for host, path in _outermost(removed_paths):
        try:
            directory = directory_for(host=host, path=path, root=root)
        except UnsafePath as refused:
            report.skipped.append(str(refused))
            continue
        if _trash(directory, root):
            report.removed += 1
            hosts.add(host)
    ids = list(dict.fromkeys(page_ids))
    for start in range(0, len(ids), BATCH_SIZE):
        chunk = ids[start:start + BATCH_SIZE]
        pages = Page.objects.filter(pk__in=chunk)
        public = set(published(Page.objects.filter(pk__in=chunk)).values_list("pk", flat=True))
        by_id = {page.pk: page for page in pages}
        for page_id in chunk:
            page = by_id.get(page_id)
            location = location_for(page) if page is not None else None
            if location is not None:
                _publish_page(page, location, public=page_id in public, root=root, report=report)
                hosts.add(location.host)
    for host in hosts:
        _remove_host_files(host, root)
    if tree_of is not None and (anchor := Page.objects.filter(pk=tree_of).first()):
        done = set(ids)
        rendered = 0
        for batch in _batches(dependent_pages(anchor), limit=INLINE_TREE_LIMIT):
            for page in batch:
                if page.pk not in done and (location := location_for(page)):
                    _publish_page(page, location, public=True, root=root, report=report)
            rendered += len(batch)
        if rendered >= INLINE_TREE_LIMIT:
            logger.warning(
                "static publishing: more than %s pages depend on page %s; run "
                "'manage.py write_static_pages' to refresh the rest", INLINE_TREE_LIMIT, tree_of,
            )
    report.seconds = time.monotonic() - started
    return report


def _outermost(paths: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """Drop paths that lie inside another path of the list (removing the outer one suffices)."""
    unique = sorted(set(paths), key=lambda item: (item[0], len(item[1])))
    kept: list[tuple[str, str]] = []
    for host, path in unique:
        if not any(host == kept_host and path.startswith(kept_path) for kept_host, kept_path in kept):
            kept.append((host, path))
    return kept


def write_all_static_pages(site: ClusterSite | None = None) -> Report:
    """Full rebuild: write every public page (of one site, or of the cluster), then, for the
    whole cluster, sweep files of pages that are no longer public and hosts no longer served.

    Pages are read in keyset-paginated batches, so memory stays flat at 100,000 articles.
    Files written while the rebuild runs (a publication meanwhile) are never swept.
    """
    started = time.monotonic()
    wall_clock_start = time.time()
    report = Report()
    root = published_root()
    if root is None:
        return report
    root.mkdir(parents=True, exist_ok=True)
    kept: set[Path] = set()
    for batch in _batches(site_pages(site)):
        for page in batch:
            location = location_for(page)
            if location is None:
                continue
            kept.update(_publish_page(page, location, public=True, root=root, report=report))
    hosts = _hosts(site)
    for host in hosts:
        for name in HOST_FILES:
            scheme = _public_scheme("http")
            _publish_url(f"{scheme}://{host}/{name}", root / host / name,
                         expect="xml" if name.endswith(".xml") else "text/plain", report=report)
    if site is None:
        report.removed += _sweep(root, kept, hosts, not_after=wall_clock_start)
    report.seconds = time.monotonic() - started
    return report


def _hosts(site: ClusterSite | None) -> list[str]:
    if site is None:
        return sorted({s.hostname.lower() for s in Site.objects.all() if _HOST_RE.match(s.hostname.lower())})
    location = location_for(site.home_page)
    return [location.host] if location else []


def _sweep(root: Path, kept: set[Path], hosts: list[str], *, not_after: float) -> int:
    """Remove owned files under directories no page was written to, and unserved hosts."""
    removed = 0
    for entry in root.iterdir():
        if entry.name == TRASH_DIR:
            shutil.rmtree(entry, ignore_errors=True)
        elif (entry.is_dir() and entry.name not in hosts and _HOST_RE.match(entry.name)
              and entry.stat().st_mtime < not_after):
            removed += int(_trash(entry, root))
    for host in hosts:
        host_dir = root / host
        if not host_dir.is_dir():
            continue
        for directory, _subdirectories, files in os.walk(host_dir, topdown=False):
            current = Path(directory)
            if current == host_dir:
                continue  # the host's own sitemap.xml/robots.txt were refreshed above
            if current not in kept:
                for name in files:
                    target = current / name
                    if name in OWNED_NAMES and target.stat().st_mtime < not_after:
                        target.unlink(missing_ok=True)
                        removed += name.endswith((".html", ".rss", ".atom"))
            if not any(current.iterdir()):
                current.rmdir()
    return removed
