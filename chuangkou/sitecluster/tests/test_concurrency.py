"""Parallel clients deciding the same submission: exactly one decision wins, on both databases."""

import threading
from collections.abc import Callable

import pytest
from django.db import connection

from chuangkou.organizations.choices import Role
from chuangkou.sitecluster import actions
from chuangkou.sitecluster.choices import SubmissionStatus
from chuangkou.sitecluster.exceptions import SubmissionRefused
from chuangkou.sitecluster.models import ArticleSubmission

PARALLEL_CLIENTS = 8


def run_in_parallel(client: Callable[[int], str]) -> list[str]:
    """Start ``PARALLEL_CLIENTS`` threads at one barrier, each with its own connection; return
    each one's outcome (its result, "refused", or the unexpected error)."""
    barrier = threading.Barrier(PARALLEL_CLIENTS)
    outcomes: list[str] = []
    lock = threading.Lock()

    def run(number: int) -> None:
        try:
            barrier.wait(timeout=30)
            result = client(number)
        except SubmissionRefused:
            result = "refused"
        except Exception as error:
            result = f"error: {error!r}"
        finally:
            connection.close()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=run, args=(n,)) for n in range(PARALLEL_CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_parallel_decisions_on_one_submission_leave_exactly_one_decision(cluster):
    submission = actions.submit_article_to_column(
        article=cluster.education_article, target_column=cluster.portal_news,
        actor=cluster.user("education", Role.EDITOR),
    )
    deciders = [cluster.user("city", Role.EDITOR), cluster.user("city", Role.REVIEWER)]

    def decide(number: int) -> str:
        actor = deciders[number % 2]
        if number % 2:
            actions.adopt_submission(submission=submission, actor=actor)
            return "adopted"
        actions.decline_submission(submission=submission, reason="重复报送", actor=actor)
        return "declined"

    outcomes = run_in_parallel(decide)
    winners = [o for o in outcomes if o in ("adopted", "declined")]
    assert len(outcomes) == PARALLEL_CLIENTS
    assert len(winners) == 1, outcomes
    assert outcomes.count("refused") == PARALLEL_CLIENTS - 1, outcomes
    submission.refresh_from_db()
    assert submission.status == {"adopted": SubmissionStatus.ADOPTED,
                                 "declined": SubmissionStatus.DECLINED}[winners[0]]
    assert ArticleSubmission.objects.count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_parallel_duplicate_submissions_create_one(cluster):
    editor = cluster.user("education", Role.EDITOR)

    def submit(number: int) -> str:
        actions.submit_article_to_column(article=cluster.education_article,
                                         target_column=cluster.portal_news, actor=editor)
        return "created"

    outcomes = run_in_parallel(submit)
    assert outcomes.count("created") == 1, outcomes
    assert outcomes.count("refused") == PARALLEL_CLIENTS - 1, outcomes
    assert ArticleSubmission.objects.count() == 1
