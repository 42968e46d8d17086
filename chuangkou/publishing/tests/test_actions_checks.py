"""Content-check actions: lexicon and rule changes, check runs over a page revision, overrides
by confidentiality reviewers, and the queries a publication gate asks."""

import pytest
from django.core.files.base import ContentFile
from wagtail.documents.models import Document
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file

from chuangkou.core.models import AuditEvent
from chuangkou.organizations.choices import Role
from chuangkou.organizations.queries import bodies_managing, holds_role_for_page
from chuangkou.publishing import actions, queries
from chuangkou.publishing.choices import CheckTrigger, ExpressionRuleKind, FindingKind, Severity
from chuangkou.publishing.contentchecks import id_check_character
from chuangkou.publishing.exceptions import (
    ExpressionRuleInvalid,
    FindingOverrideRefused,
    LexiconEntryInvalid,
)
from chuangkou.publishing.models import ContentFinding, LexiconEntry
from chuangkou.sitecluster.models import ArticleAttachment, ArticleImage
from chuangkou.sitecluster.tests.factories import make_article

pytestmark = pytest.mark.django_db

ID_NUMBER = "11010519491231002" + id_check_character("11010519491231002")


def save_draft(article, **changes):
    article = article.specific
    for name, value in changes.items():
        setattr(article, name, value)
    return article.save_revision()


# --- Lexicon and rules ------------------------------------------------------------------


def test_adding_a_lexicon_entry_is_audited_and_used_by_the_next_check(cluster):
    actor = cluster.user("city", Role.CONFIDENTIALITY_REVIEWER)
    before = queries.compiled_content_rules()
    entry = actions.add_lexicon_entry(term=" 刷单 返利 ", category="fraud",
                                      severity=Severity.WARNING, actor=actor)
    assert entry.term == "刷单 返利"
    assert AuditEvent.objects.get(action="publishing.lexicon.added").actor == actor
    after = queries.compiled_content_rules()
    assert after is not before and after.version != before.version
    assert queries.compiled_content_rules() is after  # cached until the next change


@pytest.mark.parametrize("term,message", [("", "不能为空"), ("赌", "至少需要"),
                                          ("a" * 101, "不能超过"), ("a\x00b", "控制字符")])
def test_bad_terms_are_refused(db, term, message):
    with pytest.raises(LexiconEntryInvalid) as refused:
        actions.add_lexicon_entry(term=term)
    assert message in refused.value.errors["term"][0]


def test_a_duplicate_term_is_refused_on_the_term_field(db):
    actions.add_lexicon_entry(term="网络赌博")
    with pytest.raises(LexiconEntryInvalid) as refused:
        actions.add_lexicon_entry(term="网络赌博")
    assert "已有该词条" in str(refused.value)


def test_deactivated_terms_are_no_longer_matched(cluster):
    entry = actions.add_lexicon_entry(term="真人荷官", severity=Severity.BLOCKING)
    save_draft(cluster.education_article, body="<p>真人荷官</p>")
    run = actions.run_content_checks(page=cluster.education_article, trigger=CheckTrigger.MANUAL)
    assert run.blocking_count == 1
    actions.deactivate_lexicon_entry(entry=entry)
    run = actions.run_content_checks(page=cluster.education_article, trigger=CheckTrigger.MANUAL)
    assert run.finding_count == 0
    assert AuditEvent.objects.filter(action="publishing.lexicon.deactivated").count() == 1


def test_update_lexicon_entry_changes_only_known_fields(db):
    entry = actions.add_lexicon_entry(term="网络赌博")
    entry = actions.update_lexicon_entry(entry=entry, severity=Severity.BLOCKING)
    assert entry.severity == Severity.BLOCKING
    with pytest.raises(LexiconEntryInvalid):
        actions.update_lexicon_entry(entry=entry, created_at=None)


def test_an_invalid_regular_expression_is_refused_when_saved(db):
    with pytest.raises(ExpressionRuleInvalid) as refused:
        actions.add_expression_rule(kind=ExpressionRuleKind.TYPO, wrong_text="二零[", is_regex=True)
    assert "正则表达式有误" in refused.value.errors["wrong_text"][0]
    with pytest.raises(ExpressionRuleInvalid):
        actions.add_expression_rule(kind=ExpressionRuleKind.TYPO, wrong_text="x*", is_regex=True)


def test_expression_rules_are_audited_and_deactivated(db):
    rule = actions.add_expression_rule(kind=ExpressionRuleKind.TYPO, wrong_text="按装",
                                       correction="安装", severity=Severity.NOTICE)
    rule = actions.update_expression_rule(rule=rule, correction="安装（正确）")
    rule = actions.deactivate_expression_rule(rule=rule)
    assert not rule.is_active
    assert list(AuditEvent.objects.filter(action__startswith="publishing.expression_rule")
                .order_by("pk").values_list("action", flat=True)) == [
        "publishing.expression_rule.added", "publishing.expression_rule.updated",
        "publishing.expression_rule.deactivated"]


# --- Running the checks -----------------------------------------------------------------


@pytest.fixture
def rules(db):
    actions.add_lexicon_entry(term="网络赌博", category="gambling", severity=Severity.WARNING)
    actions.add_expression_rule(kind=ExpressionRuleKind.TYPO, wrong_text="按装",
                                correction="安装", severity=Severity.NOTICE)
    actions.add_expression_rule(kind=ExpressionRuleKind.WRONG_EXPRESSION,
                                wrong_text="国家计划委员会", correction="国家发展和改革委员会",
                                severity=Severity.BLOCKING)


def test_a_run_checks_title_subtitle_summary_body_attachments_and_alt_texts(cluster, rules):
    article = cluster.education_article.specific
    document = Document.objects.create(
        title="网络赌博典型案例", collection=cluster.education.collection,
        file=ContentFile(b"%PDF-1.4\n", name="cases.pdf"))
    image = Image.objects.create(title="照片", collection=cluster.education.collection,
                                 file=get_test_image_file())
    article.attachments.add(ArticleAttachment(document=document, title="请按装附件"))
    article.images.add(ArticleImage(image=image, alt_text=""))
    revision = save_draft(article, title="机密★1年 通知", subtitle="国家计划委员会",
                          summary=f"身份证{ID_NUMBER}",
                          body='<p>严厉打击网络赌博</p><p><a linktype="page" id="999999">旧通知</a></p>')
    actor = cluster.user("education", Role.EDITOR)
    run = actions.run_content_checks(page=article, revision=revision,
                                     trigger=CheckTrigger.SUBMISSION, actor=actor)
    found = {(f.kind, f.field_label) for f in run.findings.all()}
    assert (FindingKind.CLASSIFICATION_MARKING, "标题") in found
    assert (FindingKind.WRONG_EXPRESSION, "副标题") in found
    assert (FindingKind.ID_NUMBER, "摘要") in found
    assert (FindingKind.LEXICON_TERM, "正文") in found
    assert (FindingKind.BROKEN_LINK, "正文") in found
    assert (FindingKind.TYPO, "附件名称（第1个文章附件）") in found
    assert (FindingKind.LEXICON_TERM, "文档标题（第1个文章附件）") in found
    assert (FindingKind.IMAGE_WITHOUT_ALT, "图片替代文本（第1个文章图片）") in found
    assert run.revision == revision and run.ran_by == actor
    assert run.trigger == CheckTrigger.SUBMISSION
    assert run.blocking_count == 3  # marking, wrong expression, ID number
    assert run.finding_count == run.findings.count()
    assert not ContentFinding.objects.filter(matched_text__contains=ID_NUMBER).exists()
    assert not ContentFinding.objects.filter(context__contains=ID_NUMBER).exists()
    event = AuditEvent.objects.get(action="publishing.content_check.ran", target_id=str(run.pk))
    assert event.data["blocking"] == 3 and ID_NUMBER not in str(event.data)


def test_a_run_checks_the_given_revision_not_the_live_page(cluster, rules):
    article = cluster.education_article
    draft = save_draft(article, body="<p>网络赌博</p>")
    live_revision = article.live_revision
    assert actions.run_content_checks(page=article, revision=live_revision,
                                      trigger="manual").finding_count == 0
    assert actions.run_content_checks(page=article, revision=draft,
                                      trigger="manual").finding_count == 1


def test_a_revision_of_another_page_is_refused(cluster):
    from chuangkou.core.exceptions import RuleViolation

    with pytest.raises(RuleViolation):
        actions.run_content_checks(page=cluster.education_article,
                                   revision=cluster.health_article.latest_revision,
                                   trigger="manual")


def test_internal_links_to_live_pages_and_routes_are_fine(cluster):
    news = cluster.education_news
    body = (f'<p><a linktype="page" id="{news.pk}">教育动态</a>'
            f'<a href="{news.get_url()}">动态</a><a href="/no/such/page/">坏链接</a></p>')
    save_draft(cluster.education_article, body=body)
    run = actions.run_content_checks(page=cluster.education_article, trigger="manual")
    broken = [f.matched_text for f in run.findings.filter(kind=FindingKind.BROKEN_LINK)]
    assert broken == ["坏链接"]


def test_latest_run_and_unresolved_blocking_findings(cluster, rules):
    article = make_article(column=cluster.education_news, title="草稿", publish=False)
    assert queries.latest_run_for(article) is None
    assert not queries.unresolved_blocking_findings(article).exists()
    first = article.latest_revision
    revision = save_draft(article, body="<p>国家计划委员会，网络赌博</p>")
    run = actions.run_content_checks(page=article, revision=revision, trigger="submission")
    assert queries.latest_run_for(article) == run
    assert queries.latest_run_for(article, revision) == run
    assert queries.latest_run_for(article, first) is None
    blocking = queries.unresolved_blocking_findings(article, revision)
    assert [f.kind for f in blocking] == [FindingKind.WRONG_EXPRESSION]


# --- Overrides (放行) -------------------------------------------------------------------------


@pytest.fixture
def blocked(cluster, rules):
    revision = save_draft(cluster.education_article, body="<p>经国家计划委员会批准</p>")
    run = actions.run_content_checks(page=cluster.education_article, revision=revision,
                                     trigger="submission")
    return revision, run.findings.get(severity=Severity.BLOCKING)


def test_the_confidentiality_reviewer_of_the_managing_body_overrides_with_a_reason(
        cluster, blocked):
    revision, finding = blocked
    reviewer = cluster.user("education", Role.CONFIDENTIALITY_REVIEWER)
    finding = actions.override_finding(finding=finding, actor=reviewer,
                                       reason="引用1998年历史文件原文，机构名称保持原样。")
    assert finding.overridden_by == reviewer and finding.overridden_at is not None
    assert not queries.unresolved_blocking_findings(cluster.education_article, revision).exists()
    event = AuditEvent.objects.get(action="publishing.finding.override")
    assert event.actor == reviewer and event.data["reason"].startswith("引用1998年")


@pytest.mark.parametrize("body_slug,role", [
    ("education", Role.EDITOR), ("education", Role.REVIEWER),
    ("education", Role.SITE_ADMINISTRATOR), ("education", Role.SYSTEM_ADMINISTRATOR),
    ("education", Role.AUDITOR), ("health", Role.CONFIDENTIALITY_REVIEWER),
    ("education", Role.CONTRIBUTOR),
])
def test_nobody_else_may_override(cluster, blocked, body_slug, role):
    _, finding = blocked
    with pytest.raises(FindingOverrideRefused):
        actions.override_finding(finding=finding, actor=cluster.user(body_slug, role),
                                 reason="这是一个足够长的放行理由文字。")
    finding.refresh_from_db()
    assert not finding.is_overridden
    assert not AuditEvent.objects.filter(action="publishing.finding.override").exists()


@pytest.mark.parametrize("reason", ["", "   ", "太短了"])
def test_an_override_needs_a_written_reason(cluster, blocked, reason):
    _, finding = blocked
    with pytest.raises(FindingOverrideRefused) as refused:
        actions.override_finding(finding=finding, reason=reason,
                                 actor=cluster.user("education", Role.CONFIDENTIALITY_REVIEWER))
    assert "reason" in refused.value.errors


def test_a_finding_is_overridden_once_and_warnings_need_no_override(cluster, blocked, rules):
    _, finding = blocked
    reviewer = cluster.user("education", Role.CONFIDENTIALITY_REVIEWER)
    actions.override_finding(finding=finding, actor=reviewer, reason="引用历史文件原文，保持原样。")
    with pytest.raises(FindingOverrideRefused):
        actions.override_finding(finding=finding, actor=reviewer, reason="再次放行的理由足够长了。")
    save_draft(cluster.education_article, body="<p>网络赌博</p>")
    warning = actions.run_content_checks(page=cluster.education_article,
                                         trigger="manual").findings.get()
    with pytest.raises(FindingOverrideRefused):
        actions.override_finding(finding=warning, actor=reviewer, reason="警告不需要放行的理由。")


def test_an_override_carries_over_to_the_publication_check_of_the_same_text(cluster, blocked):
    revision, finding = blocked
    reviewer = cluster.user("education", Role.CONFIDENTIALITY_REVIEWER)
    actions.override_finding(finding=finding, actor=reviewer, reason="引用历史文件原文，保持原样。")
    run = actions.run_content_checks(page=cluster.education_article, revision=revision,
                                     trigger=CheckTrigger.PUBLICATION)
    carried = run.findings.get(severity=Severity.BLOCKING)
    assert carried.is_overridden and carried.override_carried_from == finding
    assert carried.overridden_by == reviewer
    assert not queries.unresolved_blocking_findings(cluster.education_article, revision).exists()
    # A new blocking text is not covered by the earlier override.
    newer = save_draft(cluster.education_article, body="<p>经国家计划委员会批准。机密★</p>")
    actions.run_content_checks(page=cluster.education_article, revision=newer,
                               trigger=CheckTrigger.PUBLICATION)
    assert [f.kind for f in queries.unresolved_blocking_findings(
        cluster.education_article, newer)] == [FindingKind.CLASSIFICATION_MARKING]


def test_organizations_queries_find_the_bodies_managing_a_page(cluster):
    article = cluster.education_article
    assert list(bodies_managing(article)) == [cluster.education]
    assert holds_role_for_page(cluster.user("education", Role.CONFIDENTIALITY_REVIEWER),
                               role=Role.CONFIDENTIALITY_REVIEWER, page=article)
    assert not holds_role_for_page(cluster.user("health", Role.CONFIDENTIALITY_REVIEWER),
                                   role=Role.CONFIDENTIALITY_REVIEWER, page=article)
    assert not holds_role_for_page(cluster.user("education", Role.EDITOR),
                                   role=Role.CONFIDENTIALITY_REVIEWER, page=article)


def test_the_starter_rules_load_idempotently(db):
    from django.core.management import call_command

    call_command("load_content_check_rules", stdout=open("/dev/null", "w"))  # noqa: SIM115
    count = LexiconEntry.objects.count()
    assert count > 300
    call_command("load_content_check_rules", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert LexiconEntry.objects.count() == count



def test_rules_changed_by_another_process_are_seen_without_a_shared_cache(db):
    from django.core.cache import cache

    from chuangkou.publishing.contentchecks import TextField, check_text

    text = [TextField("正文", "欢迎加入内幕交易群。")]
    assert check_text(text, queries.compiled_content_rules()) == []
    stale_stamp = cache.get(queries.RULES_VERSION_KEY)
    actions.add_lexicon_entry(term="内幕交易群", severity=Severity.BLOCKING)
    # Another worker keeps its own in-memory cache and never saw the bump.
    cache.set(queries.RULES_VERSION_KEY, stale_stamp, timeout=None)
    findings = check_text(text, queries.compiled_content_rules())
    assert [finding.matched_text for finding in findings] == ["内幕交易群"]
