"""Admin screens of the content checks: every role against every new admin URL, the screens
calling the actions, per-line import errors, the override form, and query counts."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from chuangkou.core.models import AuditEvent
from chuangkou.organizations.choices import Role
from chuangkou.publishing import actions
from chuangkou.publishing.choices import ExpressionRuleKind, Severity
from chuangkou.publishing.models import ExpressionRule, LexiconEntry

pytestmark = pytest.mark.django_db

RULE_MANAGERS = {Role.CONFIDENTIALITY_REVIEWER, Role.SYSTEM_ADMINISTRATOR}
# Who may see an education page's findings: whoever may edit it there, and its reviewers.
PAGE_EDITORS = {Role.EDITOR, Role.REVIEWER, Role.CONFIDENTIALITY_REVIEWER,
                Role.SITE_ADMINISTRATOR, Role.SYSTEM_ADMINISTRATOR}


def refused(response) -> bool:
    if response.status_code in (403, 404):
        return True
    return response.status_code == 302 and (
        response.url.split("?")[0] == reverse("wagtailadmin_home")
        or response.url.startswith(reverse("wagtailadmin_login")))


@pytest.fixture
def objects(cluster):
    entry = actions.add_lexicon_entry(term="真人荷官", category="gambling",
                                      severity=Severity.BLOCKING)
    rule = actions.add_expression_rule(kind=ExpressionRuleKind.WRONG_EXPRESSION,
                                       wrong_text="国家计划委员会",
                                       correction="国家发展和改革委员会",
                                       severity=Severity.BLOCKING)
    article = cluster.education_article.specific
    article.body = "<p>经国家计划委员会批准，打击真人荷官</p>"
    revision = article.save_revision()
    run = actions.run_content_checks(page=article, revision=revision, trigger="submission")
    return {"entry": entry, "rule": rule, "article": article, "run": run,
            "finding": run.findings.filter(severity=Severity.BLOCKING).first()}


def rule_urls(objects):
    return [
        reverse("lexicon_entries:index"), reverse("lexicon_entries:add"),
        reverse("lexicon_entries:edit", args=[objects["entry"].pk]),
        reverse("lexicon_entries:delete", args=[objects["entry"].pk]),
        reverse("expression_rules:index"), reverse("expression_rules:add"),
        reverse("expression_rules:edit", args=[objects["rule"].pk]),
        reverse("expression_rules:delete", args=[objects["rule"].pk]),
        reverse("publishing_lexicon_import"),
    ]


@pytest.mark.parametrize("role", Role.values)
def test_rule_screens_only_for_reviewers_and_system_administrators(client, cluster, objects,
                                                                   role):
    client.force_login(cluster.user("education", role))
    for url in rule_urls(objects):
        response = client.get(url)
        if role in RULE_MANAGERS:
            assert response.status_code == 200, url
        else:
            assert refused(response), (url, response.status_code)
            assert "真人荷官" not in response.content.decode()
    if role not in RULE_MANAGERS:
        for url in rule_urls(objects):
            assert refused(client.post(url, {"term": "被篡改", "kind": "typo",
                                             "wrong_text": "x", "severity": "notice",
                                             "category": "other"}))
        assert LexiconEntry.objects.filter(is_active=True).count() == 1
        assert not LexiconEntry.objects.filter(term="被篡改").exists()
        assert ExpressionRule.objects.filter(is_active=True).count() == 1


@pytest.mark.parametrize("role", Role.values)
@pytest.mark.parametrize("body_slug", ["education", "health"])
def test_findings_screens_by_role_and_body(client, cluster, objects, role, body_slug):
    client.force_login(cluster.user(body_slug, role))
    finding = objects["finding"]
    page_id = objects["article"].pk
    findings_url = reverse("publishing_page_findings", args=[page_id])
    override_url = reverse("publishing_override_finding", args=[finding.pk])
    run_url = reverse("publishing_run_checks", args=[page_id])
    may_see = role in PAGE_EDITORS and (body_slug == "education"
                                        or role == Role.SYSTEM_ADMINISTRATOR)
    may_override = role == Role.CONFIDENTIALITY_REVIEWER and body_slug == "education"
    response = client.get(findings_url)
    if may_see:
        assert response.status_code == 200
        assert "国家计划委员会" in response.content.decode()
        assert (override_url in response.content.decode()) == may_override
    else:
        assert refused(response)
        assert "国家计划委员会" not in response.content.decode()
    runs_before = objects["run"].page.content_check_runs.count()
    response = client.post(run_url)
    assert refused(response) != may_see
    assert objects["run"].page.content_check_runs.count() == runs_before + (1 if may_see else 0)
    response = client.get(override_url)
    assert (response.status_code == 200) == may_override
    if not may_override:
        assert refused(response)
        assert refused(client.post(override_url, {"reason": "这是一个足够长的放行理由。"}))
        finding.refresh_from_db()
        assert not finding.is_overridden


def test_adding_editing_and_deactivating_a_term_go_through_the_actions(client, cluster):
    actor = cluster.user("city", Role.CONFIDENTIALITY_REVIEWER)
    client.force_login(actor)
    response = client.post(reverse("lexicon_entries:add"), {
        "term": "刷单返利", "category": "fraud", "severity": "warning", "note": "",
        "source": ""})
    assert response.status_code == 302
    entry = LexiconEntry.objects.get(term="刷单返利")
    response = client.post(reverse("lexicon_entries:edit", args=[entry.pk]), {
        "term": "刷单返利", "category": "fraud", "severity": "blocking", "note": "招揽",
        "source": "", "is_active": "on"})
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.severity == Severity.BLOCKING and entry.note == "招揽"
    response = client.post(reverse("lexicon_entries:delete", args=[entry.pk]))
    assert response.status_code == 302
    entry.refresh_from_db()
    assert not entry.is_active
    assert list(AuditEvent.objects.filter(action__startswith="publishing.lexicon", actor=actor)
                .order_by("pk").values_list("action", flat=True)) == [
        "publishing.lexicon.added", "publishing.lexicon.updated",
        "publishing.lexicon.deactivated"]


def test_a_duplicate_term_is_shown_on_the_term_field(client, cluster, objects):
    client.force_login(cluster.user("city", Role.SYSTEM_ADMINISTRATOR))
    response = client.post(reverse("lexicon_entries:add"), {
        "term": "真人荷官", "category": "gambling", "severity": "warning"})
    assert response.status_code == 200
    assert "已有该词条" in str(response.context["form"].errors)


def test_a_bad_regular_expression_is_shown_on_its_field(client, cluster):
    client.force_login(cluster.user("city", Role.SYSTEM_ADMINISTRATOR))
    response = client.post(reverse("expression_rules:add"), {
        "kind": "typo", "wrong_text": "二零[", "is_regex": "on", "severity": "notice"})
    assert response.status_code == 200
    assert "正则表达式有误" in str(response.context["form"].errors["wrong_text"])
    assert not ExpressionRule.objects.exists()


def test_the_import_screen_lists_errors_per_line(client, cluster):
    client.force_login(cluster.user("city", Role.CONFIDENTIALITY_REVIEWER))
    bad = SimpleUploadedFile("words.txt", "网络赌博\n赌\n".encode(), content_type="text/plain")
    response = client.post(reverse("publishing_lexicon_import"), {
        "file": bad, "default_category": "other", "default_severity": "warning"})
    assert response.status_code == 200
    assert "第2行" in response.content.decode()
    assert not LexiconEntry.objects.exists()
    good = SimpleUploadedFile("words.txt", "网络赌博\n刷单返利\t诈骗\t阻断\n".encode())
    response = client.post(reverse("publishing_lexicon_import"), {
        "file": good, "default_category": "other", "default_severity": "warning"})
    assert response.status_code == 302
    assert LexiconEntry.objects.count() == 2


def test_the_override_form_requires_a_reason_and_records_it(client, cluster, objects):
    reviewer = cluster.user("education", Role.CONFIDENTIALITY_REVIEWER)
    client.force_login(reviewer)
    url = reverse("publishing_override_finding", args=[objects["finding"].pk])
    response = client.post(url, {"reason": "短"})
    assert response.status_code == 200 and "reason" in response.context["form"].errors
    response = client.post(url, {"reason": "引用1998年历史文件原文，机构名称保持原样。"})
    assert response.status_code == 302
    objects["finding"].refresh_from_db()
    assert objects["finding"].overridden_by == reviewer
    assert AuditEvent.objects.filter(action="publishing.finding.override",
                                     actor=reviewer).count() == 1
    page = client.get(reverse("publishing_page_findings", args=[objects["article"].pk]))
    assert "引用1998年历史文件原文" in page.content.decode()


def test_the_page_header_offers_the_findings_screen(client, cluster, objects):
    client.force_login(cluster.user("education", Role.EDITOR))
    response = client.get(reverse("wagtailadmin_pages:edit", args=[objects["article"].pk]))
    assert reverse("publishing_page_findings", args=[objects["article"].pk]) in \
        response.content.decode()


def test_list_screens_use_a_constant_number_of_queries(client, cluster,
                                                       django_assert_max_num_queries):
    client.force_login(cluster.user("city", Role.SYSTEM_ADMINISTRATOR))
    content = "\n".join(f"词条{n:03d}\t赌博\t警告" for n in range(60)).encode()
    actions.import_lexicon(SimpleUploadedFile("a.txt", content))
    for number in range(60):
        actions.add_expression_rule(kind="typo", wrong_text=f"错字{number}", correction="对")
    counts = {}
    for url in (reverse("lexicon_entries:index"), reverse("expression_rules:index")):
        with django_assert_max_num_queries(40) as captured:
            assert client.get(url).status_code == 200
        counts[url] = len(captured)
    LexiconEntry.objects.filter(term__startswith="词条0").delete()
    with django_assert_max_num_queries(counts[reverse("lexicon_entries:index")]):
        client.get(reverse("lexicon_entries:index"))
    run_article = cluster.education_article.specific
    run_article.body = "<p>" + "真人荷官；".join("x" * 5 for _ in range(30)) + "</p>"
    actions.add_lexicon_entry(term="真人荷官", severity=Severity.BLOCKING)
    actions.run_content_checks(page=run_article, revision=run_article.save_revision(),
                               trigger="manual")
    with django_assert_max_num_queries(40):
        response = client.get(reverse("publishing_page_findings", args=[run_article.pk]))
    assert response.content.decode().count("真人荷官") >= 29


def test_searching_the_lexicon(client, cluster, objects):
    client.force_login(cluster.user("city", Role.SYSTEM_ADMINISTRATOR))
    actions.add_lexicon_entry(term="刷单返利")
    response = client.get(reverse("lexicon_entries:index"), {"q": "荷官"})
    html = response.content.decode()
    assert "真人荷官" in html and "刷单返利" not in html
