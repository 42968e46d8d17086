"""Static publishing: files written at publication, removed when a page stops being public."""

from pathlib import Path
from urllib.parse import unquote

import pytest
from django.core.management import call_command
from wagtail.models import Page, PageViewRestriction

from chuangkou.organizations.choices import Role
from chuangkou.publishing import static_pages
from chuangkou.publishing.static_pages import UnsafePath, directory_for
from chuangkou.sitecluster import actions
from chuangkou.sitecluster.tests.factories import make_article, make_column


@pytest.fixture
def published(settings, tmp_path, cluster):
    """Static publishing on, with the cluster written once (as after a deployment)."""
    root = tmp_path / "published"
    settings.PUBLISHED_PAGES_ROOT = str(root)
    static_pages.write_all_static_pages()
    return root


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Run what an action defers to transaction.on_commit, as a real commit would."""

    def run(action, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return action(*args, **kwargs)

    return run


def page_file(root: Path, page, name="index.html") -> Path:
    location = static_pages.location_for(page)
    return root / location.host / unquote(location.path).strip("/") / name


def test_a_full_rebuild_writes_every_public_page_per_host(published, cluster):
    assert (published / "localhost" / "index.html").exists()
    assert page_file(published, cluster.education_article).exists()
    assert "示例市教育局部署秋季开学工作" in page_file(published, cluster.education_article).read_text()
    district_file = published / "dongcheng.localhost" / "news" / "index.html"
    assert district_file.exists()
    assert not (published / "localhost" / "dongcheng" / "news" / "index.html").exists()
    assert (published / "localhost" / "sitemap.xml").exists()
    assert page_file(published, cluster.education_article, "index.html.gz").exists()


def test_publishing_an_article_writes_it_and_refreshes_its_column_and_home(published, cluster, commit):
    article = commit(make_article, column=cluster.health_news, title="示例市卫健委通报流感防治情况",
                     slug="flu")
    written = page_file(published, article)
    assert "示例市卫健委通报流感防治情况" in written.read_text()
    assert "示例市卫健委通报流感防治情况" in page_file(published, cluster.health_news).read_text()
    assert "示例市卫健委通报流感防治情况" in page_file(published, cluster.health_site.home_page).read_text()
    assert written.stat().st_mode & 0o777 == 0o644


def test_a_draft_revision_of_a_live_page_changes_no_file(published, cluster, commit):
    article = cluster.education_article
    before = page_file(published, article).read_bytes()
    article.title = "草稿标题尚未发布"
    commit(article.save_revision)
    assert page_file(published, article).read_bytes() == before


def test_republishing_with_a_new_title_replaces_the_file(published, cluster, commit):
    article = cluster.education_article
    article.title = "示例市教育局更新秋季开学安排"
    commit(lambda: article.save_revision().publish())
    assert "示例市教育局更新秋季开学安排" in page_file(published, article).read_text()


def test_unpublishing_removes_the_file_and_the_listing_entry(published, cluster, commit):
    article = cluster.health_article
    target = page_file(published, article)
    assert target.exists()
    commit(article.unpublish)
    assert not target.exists()
    assert not target.with_name("index.html.gz").exists()
    assert article.title not in page_file(published, cluster.health_news).read_text()


def test_moving_a_page_removes_the_old_tree_and_writes_the_new_one(published, cluster, commit):
    article = cluster.health_article
    old = page_file(published, article)
    commit(lambda: Page.objects.get(pk=article.pk).move(cluster.education_news, "last-child"))
    article.refresh_from_db()
    assert not old.exists()
    new = page_file(published, article)
    assert "/jyj/news/" in str(new) and new.exists()
    assert article.title in page_file(published, cluster.education_news).read_text()
    assert article.title not in page_file(published, cluster.health_news).read_text()


def test_changing_a_columns_slug_moves_its_whole_tree(published, cluster, commit):
    column = cluster.health_news.specific
    article_old = page_file(published, cluster.health_article)
    column.slug = "dongtai"
    commit(lambda: column.save_revision().publish())
    assert not article_old.exists()
    cluster.health_article.refresh_from_db()
    assert page_file(published, cluster.health_article).exists()
    assert "/wjw/dongtai/" in str(page_file(published, cluster.health_article))


def test_deleting_a_column_removes_it_and_its_articles(published, cluster, commit):
    column_dir = page_file(published, cluster.health_news).parent
    assert (column_dir / cluster.health_article.slug / "index.html").exists()
    commit(lambda: Page.objects.get(pk=cluster.health_news.pk).delete())
    assert not column_dir.exists()
    assert "卫健动态" not in page_file(published, cluster.health_site.home_page).read_text()


def test_a_private_page_is_never_written_and_restricting_removes_its_tree(published, cluster, commit):
    column = commit(make_column, parent=cluster.education_site.home_page, title="内部通知",
                    slug="internal")
    commit(PageViewRestriction.objects.create, page=column,
           restriction_type=PageViewRestriction.PASSWORD, password="Correct-Horse-2026")
    article = commit(make_article, column=column, title="仅限内部阅读的通知", slug="secret")
    assert not page_file(published, column).exists()
    assert not page_file(published, article).exists()
    static_pages.write_all_static_pages()
    assert not page_file(published, article).exists()
    assert "仅限内部阅读的通知" not in page_file(published, cluster.education_site.home_page).read_text()

    restricted = cluster.education_article
    assert page_file(published, restricted).exists()
    commit(PageViewRestriction.objects.create, page=restricted,
           restriction_type=PageViewRestriction.LOGIN)
    assert not page_file(published, restricted).exists()


def test_lifting_a_restriction_publishes_the_tree(published, cluster, commit):
    restriction = commit(PageViewRestriction.objects.create, page=cluster.health_news,
                         restriction_type=PageViewRestriction.LOGIN)
    assert not page_file(published, cluster.health_article).exists()
    commit(restriction.delete)
    assert page_file(published, cluster.health_article).exists()


def test_a_full_rebuild_sweeps_files_of_pages_no_longer_public(published, cluster, settings):
    target = page_file(published, cluster.health_article)
    settings.PUBLISHED_PAGES_ROOT = ""  # a change made while static publishing was off
    cluster.health_article.unpublish()
    settings.PUBLISHED_PAGES_ROOT = str(published)
    stale_host = published / "old-host.example"
    (stale_host / "x").mkdir(parents=True)
    (stale_host / "x" / "index.html").write_text("old")
    import os
    os.utime(target, (0, 0))
    os.utime(stale_host, (0, 0))
    report = static_pages.write_all_static_pages()
    assert not target.exists()
    assert not stale_host.exists()
    assert report.removed >= 2


@pytest.mark.parametrize("path", ["/../etc/", "/a/%2E%2E/b/", "/a/..%2Fb/", "/.ssh/", "/a\\b/",
                                  "/a/%00/", "relative/"])
def test_path_traversal_is_refused(tmp_path, path):
    with pytest.raises(UnsafePath):
        directory_for(host="localhost", path=path, root=tmp_path)


@pytest.mark.parametrize("host", ["../etc", "local/host", "", "a..b", "LOCALHOST/"])
def test_unsafe_hosts_are_refused(tmp_path, host):
    with pytest.raises(UnsafePath):
        directory_for(host=host, path="/", root=tmp_path)


def test_unicode_paths_are_written_decoded(tmp_path):
    directory = directory_for(host="localhost", path="/jyj/%E9%80%9A%E7%9F%A5/", root=tmp_path)
    assert directory == (tmp_path / "localhost" / "jyj" / "通知").resolve()


def test_remove_static_tree_refuses_traversal_and_removes_the_tree(published, cluster):
    with pytest.raises(UnsafePath):
        static_pages.remove_static_tree(host="localhost", path="/../")
    assert static_pages.remove_static_tree(host="localhost", path="/wjw/")
    assert not (published / "localhost" / "wjw").exists()
    assert (published / "localhost" / "jyj" / "index.html").exists()


def test_pages_affected_by_an_article_are_its_columns_and_homes(cluster):
    sub_column = make_column(parent=cluster.portal_news, title="图片新闻", slug="photos")
    article = make_article(column=sub_column, title="门户图片新闻")
    affected = {page.pk for page in static_pages.pages_affected_by(article)}
    assert affected == {article.pk, sub_column.pk, cluster.portal_news.pk,
                        cluster.portal.home_page_id}
    site_article = {page.pk for page in static_pages.pages_affected_by(cluster.health_article)}
    assert site_article == {cluster.health_article.pk, cluster.health_news.pk,
                            cluster.health_site.home_page_id}


def test_an_article_adopted_by_a_portal_column_also_refreshes_the_portal_home(cluster):
    submission = actions.submit_article_to_column(
        article=cluster.education_article, target_column=cluster.portal_news,
        actor=cluster.user("education", Role.SITE_ADMINISTRATOR),
    )
    submission.status = "adopted"
    submission.save()
    affected = {page.pk for page in static_pages.pages_affected_by(cluster.education_article)}
    assert {cluster.portal_news.pk, cluster.portal.home_page_id} <= affected


def test_nothing_is_written_when_static_publishing_is_off(cluster, settings, tmp_path, commit):
    settings.PUBLISHED_PAGES_ROOT = ""
    commit(make_article, column=cluster.health_news, title="无静态发布时的文章")
    assert static_pages.refresh_static_pages(page_ids=[cluster.health_article.pk]).written == 0
    assert list(tmp_path.iterdir()) == []


def test_the_write_static_pages_command_reports_counts(published, cluster, capsys):
    call_command("write_static_pages", "--site", cluster.health_site.identification_code)
    output = capsys.readouterr().out
    assert "pages" in output and "seconds" in output
