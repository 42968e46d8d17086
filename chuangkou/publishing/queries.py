"""Reads of the publishing domain: content-check runs and findings, the lexicon, and the
compiled rules each process keeps."""

import threading
import uuid

from django.core.cache import cache
from django.db.models import Count, Max, QuerySet
from wagtail.models import Page, TaskState, WorkflowState

from chuangkou.organizations.models import Membership
from chuangkou.organizations.queries import bodies_managing

from .choices import FindingKind, Severity
from .contentchecks import CompiledRules, ExpressionPattern, LexiconTerm
from .models import ContentCheckRun, ContentFinding, ExpressionRule, LexiconEntry

# --- Runs and findings ----------------------------------------------------------------


def latest_run_for(page, revision=None) -> ContentCheckRun | None:
    """The most recent content-check run of ``page`` (of ``revision`` when given), or None
    when it was never checked."""
    runs = ContentCheckRun.objects.filter(page_id=page.pk)
    if revision is not None:
        runs = runs.filter(revision_id=revision.pk)
    return runs.select_related("revision", "ran_by").order_by("-ran_at", "-pk").first()


def unresolved_blocking_findings(page, revision=None) -> QuerySet[ContentFinding]:
    """Blocking findings of the latest run of ``page`` (of ``revision`` when given) that no
    confidentiality reviewer has overridden: while any exist, the revision may not be
    published (涉密不上网).

    Empty when the page (or revision) was never checked: a publication gate runs
    ``actions.run_content_checks`` first and then asks this.
    """
    run = latest_run_for(page, revision)
    if run is None:
        return ContentFinding.objects.none()
    return findings_of(run).filter(severity=Severity.BLOCKING, overridden_at__isnull=True)


def findings_of(run: ContentCheckRun) -> QuerySet[ContentFinding]:
    """A run's findings, blocking first, then in the order they were found."""
    return (ContentFinding.objects.filter(run=run)
            .select_related("overridden_by", "override_carried_from__run")
            .order_by("pk"))


def overridden_findings_of_page(page) -> QuerySet[ContentFinding]:
    """Findings of earlier runs of ``page`` a reviewer overrode (to carry into a new run)."""
    return (ContentFinding.objects.filter(run__page_id=page.pk, overridden_at__isnull=False)
            .order_by("-overridden_at", "-pk"))


def runs_of_page(page) -> QuerySet[ContentCheckRun]:
    return (ContentCheckRun.objects.filter(page_id=page.pk)
            .select_related("revision", "ran_by").order_by("-ran_at", "-pk"))


# --- Lexicon and expression rules ----------------------------------------------------


def lexicon_entries() -> QuerySet[LexiconEntry]:
    return LexiconEntry.objects.order_by("term")


def expression_rules() -> QuerySet[ExpressionRule]:
    return ExpressionRule.objects.order_by("kind", "wrong_text")


# --- Compiled rules, cached per process --------------------------------------------------

RULES_VERSION_KEY = "publishing:content-check-rules-version"
_compiled: CompiledRules | None = None
_compiled_lock = threading.Lock()


def content_rules_version() -> str:
    """The version stamp of the managed rules, the same in every process.

    Read from the rule tables themselves (row counts and latest change), so a worker that
    never saw the change still recompiles, whatever the cache backend; the cache stamp bumped
    by the actions adds changes made without touching ``updated_at``.
    """
    lexicon = LexiconEntry.objects.aggregate(rows=Count("pk"), changed=Max("updated_at"))
    rules = ExpressionRule.objects.aggregate(rows=Count("pk"), changed=Max("updated_at"))
    version = cache.get(RULES_VERSION_KEY)
    if version is None:
        cache.add(RULES_VERSION_KEY, uuid.uuid4().hex, timeout=None)
        version = cache.get(RULES_VERSION_KEY) or "uncached"
    return (f"{lexicon['rows']}:{lexicon['changed']}:{rules['rows']}:{rules['changed']}:"
            f"{version}")


def bump_content_rules_version() -> str:
    """Mark the compiled rules of every process stale (called by the actions on each change
    of the lexicon or the expression rules)."""
    version = uuid.uuid4().hex
    cache.set(RULES_VERSION_KEY, version, timeout=None)
    return version


def build_content_rules(version: str = "") -> CompiledRules:
    """Compile the active lexicon and expression rules (one automaton) from the database."""
    lexicon = [LexiconTerm(term, category, severity) for term, category, severity in
               LexiconEntry.objects.filter(is_active=True)
               .values_list("term", "category", "severity").iterator(chunk_size=5000)]
    expressions = [
        ExpressionPattern(kind=FindingKind(kind), wrong_text=wrong_text, correction=correction,
                          severity=severity, is_regex=is_regex)
        for kind, wrong_text, correction, severity, is_regex in
        ExpressionRule.objects.filter(is_active=True)
        .values_list("kind", "wrong_text", "correction", "severity", "is_regex")
    ]
    return CompiledRules(lexicon=lexicon, expressions=expressions, version=version)


def compiled_content_rules() -> CompiledRules:
    """The compiled rules of this process, rebuilt when the shared version stamp changed."""
    global _compiled
    version = content_rules_version()
    compiled = _compiled
    if compiled is not None and compiled.version == version:
        return compiled
    with _compiled_lock:
        if _compiled is None or _compiled.version != version:
            _compiled = build_content_rules(version)
        return _compiled


# --- Review workflow (三审) -----------------------------------------------------------------

def reviewer_ids_for_page(*, page: Page, role: str) -> set[int]:
    """Active staff holding ``role`` in a body that manages ``page``."""
    return set(
        Membership.objects.filter(
            role=role, body__in=bodies_managing(page), user__is_active=True
        ).values_list("user_id", flat=True)
    )


def authors_of_current_draft(page: Page) -> set[int]:
    """Who submitted the page for review and who wrote the revision under review."""
    authors = set()
    state = WorkflowState.objects.active().for_instance(page).select_related(
        "current_task_state__revision").first()
    if state is not None:
        authors.add(state.requested_by_id)
        if state.current_task_state and state.current_task_state.revision:
            authors.add(state.current_task_state.revision.user_id)
    latest = page.get_latest_revision()
    if latest is not None:
        authors.add(latest.user_id)
    authors.discard(None)
    return authors


def has_unresolved_blocking_findings(*, page: Page) -> bool:
    revision = page.get_latest_revision()
    return unresolved_blocking_findings(page=page, revision=revision).exists()


def task_states_reviewable_by(*, task, user) -> QuerySet[TaskState]:
    """In-progress states of ``task`` on pages managed by bodies where ``user`` holds its role,
    excluding drafts the user submitted (in-progress states are few; pages may be many)."""
    if not getattr(user, "is_authenticated", False):
        return TaskState.objects.none()
    managed_paths = tuple(
        Page.objects.filter(
            managing_bodies__memberships__user=user, managing_bodies__memberships__role=task.role
        ).values_list("path", flat=True)
    )
    if not managed_paths:
        return TaskState.objects.none()
    states = task.task_states.filter(status=TaskState.STATUS_IN_PROGRESS).exclude(
        workflow_state__requested_by=user)
    object_ids = set(states.values_list("workflow_state__object_id", flat=True))
    reviewable = [
        str(pk) for pk, path in Page.objects.filter(pk__in=object_ids).values_list("pk", "path")
        if path.startswith(managed_paths)
    ]
    return states.filter(workflow_state__object_id__in=reviewable)
