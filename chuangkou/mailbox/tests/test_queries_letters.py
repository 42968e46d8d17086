"""Reads of letters: scope per role, permissions on one letter, staff queues, the writer's
lookup by number and code, timelines, published letters, and constant query counts."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext

from chuangkou.mailbox import actions, queries
from chuangkou.mailbox.choices import LetterEventKind, LetterStatus
from chuangkou.mailbox.models import Letter
from chuangkou.organizations.choices import Role
from chuangkou.publishing.actions import add_lexicon_entry
from chuangkou.publishing.choices import LexiconCategory

from .factories import answer_letter, make_letter, make_letter_with_code

pytestmark = pytest.mark.django_db

D, H, R, S = (Role.LETTER_DISPATCHER, Role.LETTER_HANDLER, Role.LETTER_REVIEWER,
              Role.LETTER_SUPERVISOR)


@pytest.fixture
def letters(cluster):
    """One letter in each place: education, health, district, and one nobody was named for."""
    return {
        "education": make_letter(cluster=cluster, addressed_body=cluster.education),
        "health": make_letter(cluster=cluster, addressed_body=cluster.health),
        "district": make_letter(cluster=cluster, addressed_body=cluster.district),
        "unsure": make_letter(cluster=cluster),
    }


def visible(user) -> set[str]:
    return {letter.number for letter in queries.letters_visible_to(user)}


def numbers(letters, *names) -> set[str]:
    return {letters[name].number for name in names}


# --- Scope ------------------------------------------------------------------------------------


def test_handler_and_reviewer_see_only_letters_assigned_to_their_body(cluster, letters):
    assert visible(cluster.user("education", H)) == numbers(letters, "education")
    assert visible(cluster.user("education", R)) == numbers(letters, "education")
    assert visible(cluster.user("city", H)) == set()


def test_top_dispatcher_sees_every_letter_including_not_sure_ones(cluster, letters):
    assert visible(cluster.user("city", D)) == numbers(letters, *letters)


def test_dispatcher_of_a_department_sees_its_letters_but_not_unaddressed_ones(cluster, letters):
    assert visible(cluster.user("education", D)) == numbers(letters, "education")


def test_supervisor_sees_the_letters_of_every_body_at_or_below(cluster, letters):
    assert visible(cluster.user("city", S)) == numbers(letters, "education", "health",
                                                       "district")
    assert visible(cluster.user("health", S)) == numbers(letters, "health")


def test_forwarded_letter_is_visible_to_the_new_body_and_still_to_the_addressed_one(
        cluster, letters):
    actions.forward_letter(letter=letters["education"], actor=cluster.user("city", D),
                           body=cluster.health, reason="属于卫健委职责")
    assert visible(cluster.user("education", H)) == set()
    assert letters["education"].number in visible(cluster.user("health", H))
    assert letters["education"].number in visible(cluster.user("education", D))


@pytest.mark.parametrize("role", [Role.EDITOR, Role.SYSTEM_ADMINISTRATOR, Role.AUDITOR,
                                  Role.DISCLOSURE_OFFICER])
def test_other_roles_and_anonymous_see_no_letters(cluster, letters, role):
    assert visible(cluster.user("city", role)) == set()
    assert visible(AnonymousUser()) == set()


def test_inactive_staff_see_nothing_and_may_do_nothing(cluster, letters):
    dispatcher = cluster.user("city", D)
    dispatcher.is_active = False
    dispatcher.save()
    assert visible(dispatcher) == set()
    assert not queries.may_dispatch(dispatcher, letters["unsure"])


def test_letter_for_staff_is_none_outside_the_scope(cluster, letters):
    number = letters["health"].number
    assert queries.letter_for_staff(cluster.user("health", H), number).pk == letters["health"].pk
    assert queries.letter_for_staff(cluster.user("health", H), number.lower()) is not None
    assert queries.letter_for_staff(cluster.user("education", H), number) is None


# --- Permissions on one letter ---------------------------------------------------------------


def test_may_handle_is_for_the_assigned_bodys_handler_and_reviewer(cluster, letters):
    letter = letters["education"]
    assert queries.may_handle(cluster.user("education", H), letter)
    assert queries.may_handle(cluster.user("education", R), letter)
    assert not queries.may_handle(cluster.user("health", H), letter)
    assert not queries.may_handle(cluster.user("city", D), letter)
    assert not queries.may_handle(cluster.user("city", H), letters["unsure"])


def test_may_review_is_for_the_reviewer_or_a_supervisor_in_scope(cluster, letters):
    letter = letters["education"]
    assert queries.may_review(cluster.user("education", R), letter)
    assert queries.may_review(cluster.user("city", S), letter)
    assert queries.may_review(cluster.user("education", S), letter)
    assert not queries.may_review(cluster.user("education", H), letter)
    assert not queries.may_review(cluster.user("health", R), letter)
    assert not queries.may_review(cluster.user("health", S), letter)


def test_may_dispatch_follows_the_dispatchers_scope(cluster, letters):
    assert queries.may_dispatch(cluster.user("city", D), letters["unsure"])
    assert queries.may_dispatch(cluster.user("city", D), letters["district"])
    assert queries.may_dispatch(cluster.user("dongcheng", D), letters["district"])
    assert not queries.may_dispatch(cluster.user("dongcheng", D), letters["unsure"])
    assert not queries.may_dispatch(cluster.user("education", D), letters["health"])
    assert not queries.may_dispatch(cluster.user("city", S), letters["unsure"])


def test_may_supervise_follows_the_supervisors_scope(cluster, letters):
    assert queries.may_supervise(cluster.user("city", S), letters["health"])
    assert queries.may_supervise(cluster.user("health", S), letters["health"])
    assert not queries.may_supervise(cluster.user("education", S), letters["health"])
    assert not queries.may_supervise(cluster.user("city", D), letters["health"])


# --- Queues -----------------------------------------------------------------------------------


def test_dispatch_queue_holds_waiting_letters_in_scope_oldest_first(cluster, letters):
    later = make_letter(cluster=cluster)
    returned = actions.return_letter(letter=letters["district"],
                                     actor=cluster.user("dongcheng", H), reason="不属于本区职责")
    city = list(queries.letters_awaiting_dispatch(cluster.user("city", D)))
    assert [letter.pk for letter in city] == [returned.pk, letters["unsure"].pk, later.pk]
    assert list(queries.letters_awaiting_dispatch(cluster.user("dongcheng", D))) == [returned]
    assert not queries.letters_awaiting_dispatch(cluster.user("dongcheng", H)).exists()


def test_held_queue_lists_held_letters_for_dispatchers_in_scope(cluster, letters):
    add_lexicon_entry(term="网络赌博", category=LexiconCategory.GAMBLING)
    held_unsure = make_letter(cluster=cluster, content="网络赌博")
    held_health = make_letter(cluster=cluster, addressed_body=cluster.health, content="网络赌博")
    assert set(queries.letters_held_for(cluster.user("city", D))) == {held_unsure, held_health}
    assert list(queries.letters_held_for(cluster.user("health", D))) == [held_health]
    assert not queries.letters_held_for(cluster.user("health", H)).exists()
    assert held_unsure not in queries.letters_awaiting_dispatch(cluster.user("city", D))


def test_review_queue_has_letters_whose_reply_waits_for_the_user(cluster, letters):
    letter = letters["education"]
    actions.submit_reply_for_review(letter=letter, actor=cluster.user("education", H),
                                    text="答复内容：已经安排处理。")
    assert list(queries.letters_in_review_for(cluster.user("education", R))) == [letter]
    assert list(queries.letters_in_review_for(cluster.user("city", S))) == [letter]
    assert not queries.letters_in_review_for(cluster.user("health", R)).exists()
    assert not queries.letters_in_review_for(cluster.user("education", H)).exists()


def test_in_progress_and_body_lists_hold_open_assigned_letters(cluster, letters):
    answered = answer_letter(make_letter(cluster=cluster, addressed_body=cluster.education),
                             cluster)
    mine = set(queries.letters_in_progress_for(cluster.user("education", H)))
    assert mine == {letters["education"]}
    assert set(queries.open_letters_of_body(cluster.education)) == {letters["education"]}
    assert answered not in queries.open_letters_of_body(cluster.education)


# --- Writers and the public ---------------------------------------------------------------------


def test_letter_is_found_only_with_its_own_number_and_code(cluster):
    first, first_code = make_letter_with_code()
    second, second_code = make_letter_with_code()
    assert queries.letter_by_number_and_code(first.number, first_code) == first
    assert queries.letter_by_number_and_code(f" {first.number.lower()} ",
                                             first_code.lower()) == first
    assert queries.letter_by_number_and_code(second.number, first_code) is None
    assert queries.letter_by_number_and_code(first.number, second_code) is None
    assert queries.letter_by_number_and_code("XJ2099999999", first_code) is None
    assert queries.letter_by_number_and_code("", "") is None


def test_writer_timeline_leaves_out_internal_steps(cluster):
    letter = make_letter(cluster=cluster, assign_to=cluster.education)
    actions.return_letter(letter=letter, actor=cluster.user("education", H),
                          reason="不属于教育局职责")
    writer = [event.kind for event in queries.timeline_of(letter, for_writer=True)]
    staff = [event.kind for event in queries.timeline_of(letter, for_writer=False)]
    assert LetterEventKind.RETURNED in staff
    assert LetterEventKind.RETURNED not in writer
    assert writer == [LetterEventKind.SUBMITTED, LetterEventKind.DISPATCHED]


def test_letters_of_user_are_only_their_own(cluster, django_user_model):
    citizen = django_user_model.objects.create_user("citizen-a", password="x")
    neighbour = django_user_model.objects.create_user("citizen-b", password="x")
    own = make_letter(cluster=cluster, user=citizen)
    make_letter(cluster=cluster, user=neighbour)
    make_letter(cluster=cluster)
    assert list(queries.letters_of_user(citizen)) == [own]
    assert not queries.letters_of_user(AnonymousUser()).exists()


def test_published_letters_are_only_the_published_ones(cluster, letters):
    letter = letters["education"]
    Letter.objects.filter(pk=letter.pk).update(is_published=True, status=LetterStatus.ANSWERED)
    assert list(queries.published_letters()) == [Letter.objects.get(pk=letter.pk)]


def test_active_kinds_leave_out_deactivated_ones(cluster):
    actions.save_letter_kind(actor=cluster.user("city", D),
                             kind=queries.letter_kinds().get(code="piping"), is_active=False)
    assert list(queries.active_letter_kinds().values_list("code", flat=True)) == [
        "zixun", "qiuzhu", "tousu", "jianyi"]


def test_matching_routing_rule_shows_which_rule_would_route_a_text(cluster):
    kind = queries.letter_kinds().get(code="zixun")
    rule = actions.save_routing_rule(actor=cluster.user("city", D), name="教育",
                                     target_body=cluster.education, keywords="学校")
    assert queries.matching_routing_rule(kind=kind, addressed_body=None, title="学校",
                                         content="") == rule
    assert queries.matching_routing_rule(kind=kind, addressed_body=None, title="医院",
                                         content="") is None


def test_root_letter_follows_merges(cluster):
    root = make_letter(cluster=cluster, assign_to=cluster.education)
    duplicate = make_letter(cluster=cluster, assign_to=cluster.education)
    actions.merge_letters(duplicate=duplicate, into=root, actor=cluster.user("city", D),
                          reason="同一事项")
    assert queries.root_letter(Letter.objects.get(pk=duplicate.pk)) == root
    assert queries.root_letter(root) == root


# --- Query counts -----------------------------------------------------------------------------


def count_queries(function) -> int:
    with CaptureQueriesContext(connection) as context:
        function()
    return len(context.captured_queries)


def render_rows(queryset) -> list:
    return [(letter.kind.name, letter.addressed_body and letter.addressed_body.name,
             letter.assigned_body and letter.assigned_body.name, letter.handler,
             letter.merged_into) for letter in queryset]


@pytest.mark.parametrize("listing", [
    lambda c: queries.letters_visible_to(c.user("city", D)),
    lambda c: queries.letters_awaiting_dispatch(c.user("city", D)),
    lambda c: queries.letters_in_progress_for(c.user("education", H)),
    lambda c: queries.letters_held_for(c.user("city", D)),
    lambda c: queries.open_letters_of_body(c.education),
    lambda c: queries.published_letters(),
])
def test_listings_use_a_constant_number_of_queries(cluster, listing):
    def build(count):
        for _ in range(count):
            make_letter(cluster=cluster, addressed_body=cluster.education)
            make_letter(cluster=cluster)

    build(1)
    Letter.objects.update(is_published=True)
    render_rows(listing(cluster))  # the user's permission cache is filled once, not per row
    few = count_queries(lambda: render_rows(listing(cluster)))
    build(4)
    Letter.objects.update(is_published=True)
    many = count_queries(lambda: render_rows(listing(cluster)))
    assert many == few


def test_staff_detail_fetches_everything_in_a_constant_number_of_queries(cluster):
    letter = make_letter(cluster=cluster, assign_to=cluster.education)
    user = cluster.user("education", H)

    def show():
        found = queries.letter_for_staff(user, letter.number)
        return ([(event.actor, event.from_body, event.to_body) for event in found.events.all()],
                list(found.attachments.all()), list(found.replies.all()), found.writer.name)

    show()  # the user's permission cache is filled once, not per row
    few = count_queries(show)
    actions.return_letter(letter=letter, actor=user, reason="不属于本单位职责")
    actions.dispatch_letter(letter=letter, actor=cluster.user("city", D), body=cluster.education)
    assert count_queries(show) == few
