"""The demo portal loader: real content, every role, idempotent, and pages that render."""

import re
from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import authenticate, get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import GroupPagePermission, Page, PageLogEntry, ReferenceIndex, Revision

from chuangkou.core.models import AuditEvent
from chuangkou.core.validators import (
    is_valid_credit_code,
    is_valid_division_code,
    is_valid_site_identification_code,
)
from chuangkou.organizations.choices import BodyKind, Role
from chuangkou.organizations.models import Body, Membership
from chuangkou.search.models import IndexChange
from chuangkou.search.wagtail_backend import index_key
from chuangkou.sitecluster import demo
from chuangkou.sitecluster.choices import ColumnKind, SubmissionStatus
from chuangkou.sitecluster.models import ArticlePage, ArticleSubmission, ClusterSite, ColumnPage
from chuangkou.sitecluster.queries import column_articles, portal_site

# Enough for every column, seed article and submission to exist, quick enough for every test.
SMALL = 2
# Pinyin annotations, lost punctuation (a "." not between digits), stray quotes, mojibake "?".
SCRAPER_DAMAGE = re.compile(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùüǖǘǚǜ]+\)|(?<!\d)\.|\.(?!\d)|['?]")
MAIN_COLUMNS = ["走进示例市", "政务公开", "公众互动", "网上办事", "网上监察"]
CHANNELS = ["市民", "企业", "投资者", "旅游者", "华侨", "三农"]


def state_counts() -> dict[str, int]:
    models = (Body, ClusterSite, ColumnPage, ArticlePage, Revision, PageLogEntry,
              get_user_model(), Membership, Group, GroupPagePermission, ArticleSubmission,
              AuditEvent, ReferenceIndex, IndexChange)
    return {model.__name__: model.objects.count() for model in models}


def portal_column(*slugs: str) -> ColumnPage:
    page = portal_site().home_page
    for slug in slugs:
        page = ColumnPage.objects.child_of(page).get(slug=slug)
    return page


# --- text preparation (no database) -----------------------------------------------------------


def test_traditional_seed_text_loses_pinyin_annotations_and_becomes_simplified():
    raw = "我市政府門戶網(wǎng)站設(shè)有五大欄目,隨著發(fā)展"
    cleaned = demo.clean_seed_text(raw, traditional=True)
    assert cleaned == "我市政府门户网站设有五大栏目，随着发展"


def test_reports_without_punctuation_are_regrouped_into_paragraphs():
    clauses = ["首都之窗网站在省级网站中排名第一"] * 12 + ["二", "集成服务理念的两项重要实践"]
    line = ".".join(clauses)
    paragraphs = demo.seed_paragraphs(line)
    assert len(paragraphs) > 1
    assert all(p.endswith("。") and "." not in p for p in paragraphs)
    assert paragraphs[-1] == "二、集成服务理念的两项重要实践。"
    assert demo.seed_paragraphs("增长12.3万条.服务更好") == ["增长12.3万条，服务更好。"]


def test_every_seed_report_yields_titled_articles_of_real_text():
    for report in demo.SEED_REPORTS:
        drafts = demo.seed_report_drafts(report)
        assert len(drafts) >= 2, report.stem
        for key, draft in drafts:
            assert key in report.columns
            assert draft.title and len(draft.title) <= 60
            assert draft.body.startswith(("<p>", "<h2>", "<h3>"))
            assert not SCRAPER_DAMAGE.search(draft.body), draft.slug
    jiangmen = "".join(d.body for _, d in demo.seed_report_drafts(demo.SEED_REPORTS[4]))
    assert "江门政务之窗" in jiangmen and "門" not in jiangmen
    assert "（三）深化人性化场景式服务" in jiangmen


def test_seed_copies_match_the_shared_reports():
    copies = sorted(demo.SEEDS_DIR.glob("*.txt"))
    assert len(copies) == 5
    shared = Path(settings.BASE_DIR).parent / "shared" / "seeds"
    if not shared.is_dir():
        pytest.skip("../shared/seeds is not beside this checkout")
    for copy in copies:
        assert copy.read_bytes() == (shared / copy.name).read_bytes(), copy.name


def test_demo_bodies_carry_valid_codes_and_the_password_is_documented_strong():
    for spec in demo.BODIES:
        assert is_valid_credit_code(spec.credit_code), spec.slug
        assert is_valid_division_code(spec.division_code), spec.slug
    assert len({spec.credit_code for spec in demo.BODIES}) == len(demo.BODIES)
    for spec in demo.SITES:
        assert is_valid_site_identification_code(spec.identification_code), spec.slug
    assert demo.chinese_number(1) == "一" and demo.chinese_number(12) == "十二"
    assert demo.chinese_number(20) == "二十"


# --- the full demo ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_full_demo_has_the_portal_sites_columns_articles_and_staff():
    summary = demo.load_demo()
    assert summary.articles >= 300
    assert ArticlePage.objects.live().count() >= 300
    assert summary.created["articles"] == summary.articles

    portal = portal_site()
    assert portal.name == "示例市人民政府门户网站" and portal.hostname == "localhost"
    assert portal.owner_body.name == "示例市人民政府"
    assert portal.sponsor == "示例市人民政府办公厅" and portal.icp_number
    assert portal.public_security_number and portal.contact_phone and portal.contact_email
    assert is_valid_site_identification_code(portal.identification_code)

    departments = ClusterSite.objects.filter(owner_body__kind=BodyKind.DEPARTMENT)
    assert departments.count() >= 3
    assert not any(site.hostname for site in departments)
    districts = ClusterSite.objects.filter(owner_body__kind=BodyKind.DISTRICT_GOVERNMENT)
    assert [(s.name, s.hostname) for s in districts] == [
        ("示例市东城区人民政府", "dongcheng.localhost")
    ]
    street = Body.objects.get(kind=BodyKind.STREET_OFFICE)
    assert len(street.division_code) == 9 and street.get_parent().slug == "dongcheng"
    for body in Body.objects.all():
        assert is_valid_credit_code(body.credit_code) and is_valid_division_code(body.division_code)
    for site in ClusterSite.objects.exclude(is_portal=True):
        assert 2 <= ColumnPage.objects.child_of(site.home_page).count() <= 4, site.name

    home_columns = ColumnPage.objects.child_of(portal.home_page).order_by("path")
    main = home_columns.exclude(kind=ColumnKind.CHANNEL)
    assert [column.title for column in main] == MAIN_COLUMNS
    assert all(ColumnPage.objects.child_of(column).count() >= 2 for column in main)
    channels = home_columns.filter(kind=ColumnKind.CHANNEL)
    assert [column.title for column in channels] == CHANNELS
    assert not any(column.show_in_menus for column in channels)
    news = portal_column("zwgk", "zwdt")
    assert (news.kind, portal_column("zwgk", "tzgg").kind) == (ColumnKind.NEWS, ColumnKind.NOTICE)
    assert portal_column("zwgk", "zcwj").kind == ColumnKind.POLICY

    assert not ArticlePage.objects.filter(body__icontains="lorem").exists()
    # Indexing is deferred during the load; every new page must still reach the admin search
    # (its change log) and the public search (articles).
    logged = set(IndexChange.objects.values_list("key", flat=True))
    pages = Page.objects.filter(depth__gt=1).specific()
    assert {index_key(page) for page in pages} <= logged
    assert {f"page:{pk}" for pk in ArticlePage.objects.values_list("pk", flat=True)} <= logged
    assert ReferenceIndex.objects.filter(model_path="responsible_body").count() == (
        ColumnPage.objects.count())
    education_law = ArticlePage.objects.get(title="中华人民共和国教育法")
    assert education_law.get_parent().get_parent().title == "示例市教育局"
    assert "<p><b>第一条</b>" in education_law.body and education_law.source
    seed_dates = ArticlePage.objects.filter(slug__startswith="seed-").values_list(
        "publication_date", flat=True)
    assert min(seed_dates) < timezone.now() - timedelta(days=365)
    assert max(seed_dates) > timezone.now() - timedelta(days=14)

    for role in Role.values:
        bodies = Membership.objects.filter(role=role).values("body").distinct().count()
        assert bodies >= 2, role
    assert authenticate(username="jyj_editor", password=demo.DEMO_PASSWORD) is not None
    assert get_user_model().objects.get(username="jyj_editor").last_name == "周"

    submissions = ArticleSubmission.objects.filter(target_column=news)
    assert submissions.filter(status=SubmissionStatus.ADOPTED).count() >= 2
    declined = submissions.get(status=SubmissionStatus.DECLINED)
    assert declined.decline_reason and declined.submitting_body.slug == "education"
    adopted_ids = set(submissions.filter(status=SubmissionStatus.ADOPTED)
                      .values_list("article_id", flat=True))
    assert adopted_ids <= set(column_articles(news).values_list("pk", flat=True))


@pytest.mark.django_db
def test_loading_twice_creates_nothing_new_and_a_rerun_fills_gaps():
    out = StringIO()
    call_command("load_demo", "--max-per-column", str(SMALL), stdout=out)
    first = state_counts()
    assert first["ArticlePage"] > 40 and first["ArticleSubmission"] == len(demo.SUBMISSIONS)
    assert "已发布文章" in out.getvalue()

    second = demo.load_demo(max_articles_per_column=SMALL)
    assert state_counts() == first
    assert not any(second.created.values())

    # A rerun also fills in what has gone missing since.
    ArticlePage.objects.get(slug="seed-004-01").delete()
    third = demo.load_demo(max_articles_per_column=SMALL)
    assert third.created == {"articles": 1}
    assert ArticlePage.objects.count() == first["ArticlePage"]


@pytest.mark.django_db
def test_demo_pages_render(client):
    demo.load_demo(max_articles_per_column=SMALL)
    education = ClusterSite.objects.get(owner_body__slug="education")
    news = portal_column("zwgk", "zwdt")
    law = ArticlePage.objects.live().filter(slug__startswith="law-").first()
    seed = ArticlePage.objects.get(slug="seed-004-01")
    pages = [
        (portal_site().home_page, "示例市人民政府门户网站"), (education.home_page, "示例市教育局"),
        (news, "政务动态"), (law, law.title), (seed, seed.title),
    ]
    for page, text in pages:
        response = client.get(page.url)
        assert response.status_code == 200, page.url
        assert text in response.content.decode(), page.url
    adopted = ArticleSubmission.objects.filter(status=SubmissionStatus.ADOPTED).first().article
    assert adopted.title in client.get(news.url).content.decode()

    district = client.get("/", HTTP_HOST="dongcheng.localhost")
    assert district.status_code == 200
    assert '<meta name="SiteIDCode" content="3301020001">' in district.content.decode()


@pytest.mark.django_db
def test_list_accounts_prints_every_account_without_touching_the_database(
    django_assert_num_queries,
):
    out = StringIO()
    with django_assert_num_queries(0):
        call_command("load_demo", "--list-accounts", stdout=out)
    listing = out.getvalue()
    assert demo.sign_in_url() in listing and demo.sign_in_url().endswith("/admin/")
    for account in demo.ACCOUNTS:
        row = next(line for line in listing.splitlines() if line.split()[:1] == [account.username])
        assert demo.DEMO_PASSWORD in row
        if account.role:
            assert str(Role(account.role).label) in row
    assert not ArticlePage.objects.exists()
