"""Publication fingerprints (SHA-256 of the rendered HTML) and the tamper check."""

import hashlib
import io

import pytest
from django.core.management import CommandError, call_command

from chuangkou.core.models import AuditEvent
from chuangkou.publishing import static_pages
from chuangkou.publishing.models import PublicationFingerprint
from chuangkou.publishing.rendering import render_anonymous
from chuangkou.sitecluster.tests.factories import make_article


def publish(cluster, captured, **extra):
    with captured(execute=True):
        return make_article(column=cluster.health_news, **extra)


def test_publication_records_the_hash_of_the_rendered_page(
        cluster, django_capture_on_commit_callbacks):
    article = publish(cluster, django_capture_on_commit_callbacks, title="流感疫苗接种点公布")
    fingerprint = PublicationFingerprint.objects.get(page=article)
    body = render_anonymous(url=article.full_url).body
    assert "流感疫苗接种点公布" in body.decode()
    assert fingerprint.sha256 == hashlib.sha256(body).hexdigest()
    assert fingerprint.byte_size == len(body)
    assert fingerprint.revision_id == article.live_revision_id
    assert AuditEvent.objects.filter(action="publishing.fingerprint.recorded",
                                     target_id=str(article.pk)).exists()


def test_each_publication_adds_a_fingerprint(cluster, django_capture_on_commit_callbacks):
    article = publish(cluster, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        article.title = "流感疫苗接种点更新"
        article.save_revision().publish()
    hashes = list(PublicationFingerprint.objects.filter(page=article).values_list("sha256", flat=True))
    assert len(hashes) == 2 and hashes[0] != hashes[1]


def test_private_draft_gets_no_fingerprint(cluster, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        make_article(column=cluster.health_news, publish=False)
    assert not PublicationFingerprint.objects.exists()


def test_untouched_site_passes_the_tamper_check(cluster, django_capture_on_commit_callbacks):
    publish(cluster, django_capture_on_commit_callbacks)
    output = io.StringIO()
    call_command("verify_fingerprints", stdout=output)
    assert "all published pages match" in output.getvalue()


@pytest.fixture
def static_root(settings, tmp_path):
    settings.PUBLISHED_PAGES_ROOT = str(tmp_path / "published")
    return tmp_path / "published"


def test_tampered_static_file_is_detected_and_audited(
        cluster, static_root, django_capture_on_commit_callbacks):
    article = publish(cluster, django_capture_on_commit_callbacks, title="供暖服务热线公布")
    location = static_pages.location_for(article)
    served = static_pages.directory_for(host=location.host, path=location.path) / "index.html"
    assert hashlib.sha256(served.read_bytes()).hexdigest() == \
        PublicationFingerprint.objects.get(page=article).sha256
    served.write_bytes(served.read_bytes().replace("供暖服务热线".encode(), "虚假热线".encode()))

    output = io.StringIO()
    with pytest.raises(CommandError, match="1 page"):
        call_command("verify_fingerprints", stdout=output)
    assert location.url in output.getvalue()
    event = AuditEvent.objects.get(action="publishing.fingerprint.mismatch")
    assert event.target_id == str(article.pk)
