"""Parallel clients deciding the same submission: exactly one decision wins, on both databases."""

import threading

import pytest
from django.db import connection

from chuangkou.organizations.choices import Role
from chuangkou.sitecluster import actions
from chuangkou.sitecluster.choices import SubmissionStatus
from chuangkou.sitecluster.exceptions import SubmissionRefused
from chuangkou.sitecluster.models import ArticleSubmission

PARALLEL_CLIENTS = 8


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_parallel_decisions_on_one_submission_leave_exactly_one_decision(cluster):
    submission = actions.submit_article_to_column(
        article=cluster.education_article, target_column=cluster.portal_news,
        actor=cluster.user("education", Role.EDITOR),
    )
    deciders = [cluster.user("city", Role.EDITOR), cluster.user("city", Role.REVIEWER)]
    barrier = threading.Barrier(PARALLEL_CLIENTS)
    outcomes: list[str] = []
    lock = threading.Lock()

    def decide(number: int) -> None:
        try:
            barrier.wait(timeout=30)
            actor = deciders[number % 2]
            if number % 2:
                actions.adopt_submission(submission=submission, actor=actor)
                result = "adopted"
            else:
                actions.decline_submission(submission=submission, reason="重复报送", actor=actor)
                result = "declined"
        except SubmissionRefused:
            result = "refused"
        except Exception as error:
            result = f"error: {error!r}"
        finally:
            connection.close()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=decide, args=(n,)) for n in range(PARALLEL_CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

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
    barrier = threading.Barrier(PARALLEL_CLIENTS)
    outcomes: list[str] = []
    lock = threading.Lock()
    editor = cluster.user("education", Role.EDITOR)

    def submit() -> None:
        try:
            barrier.wait(timeout=30)
            actions.submit_article_to_column(article=cluster.education_article,
                                             target_column=cluster.portal_news, actor=editor)
            result = "created"
        except SubmissionRefused:
            result = "refused"
        except Exception as error:
            result = f"error: {error!r}"
        finally:
            connection.close()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=submit) for _ in range(PARALLEL_CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert outcomes.count("created") == 1, outcomes
    assert ArticleSubmission.objects.count() == 1
