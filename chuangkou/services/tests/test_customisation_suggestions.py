"""为您推荐, the pure ranking: a started guide's next steps first (the latest guide first, in the
plan's order), then items of the followed themes by how many themes they match; pinned and
applied-for items never; each item once; at most eight."""

from datetime import UTC, datetime

from ..suggestions import (
    MAX_SUGGESTIONS,
    GuideStepCandidate,
    ThemeCandidate,
    rank_suggestions,
)

EARLIER = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
LATER = datetime(2026, 3, 8, 9, 0, tzinfo=UTC)


def step(item_id, *, guide="jiehun", updated_at=EARLIER, number=1):
    return GuideStepCandidate(item_id=item_id, code=f"ITEM{item_id}", name=f"事项{item_id}",
                              guide_slug=guide, guide_title=f"场景{guide}",
                              guide_updated_at=updated_at, step_number=number)


def themed(item_id, *, matched=1, position=0):
    return ThemeCandidate(item_id=item_id, code=f"ITEM{item_id}", name=f"事项{item_id}",
                          matched_themes=matched, catalogue_position=position)


def ids(suggestions):
    return [suggestion.item_id for suggestion in suggestions]


def test_started_guide_steps_come_before_themed_items_in_plan_order():
    ranked = rank_suggestions(guide_steps=[step(3, number=2), step(2, number=1)],
                              theme_items=[themed(1)])
    assert ids(ranked) == [2, 3, 1]
    assert ranked[0].guide_title == "场景jiehun" and ranked[2].guide_title == ""


def test_the_most_recently_answered_guide_comes_first():
    ranked = rank_suggestions(guide_steps=[step(1, guide="jiehun", updated_at=EARLIER),
                                           step(2, guide="shengyu", updated_at=LATER)],
                              theme_items=[])
    assert ids(ranked) == [2, 1]


def test_items_matching_more_followed_themes_rank_higher_then_catalogue_order():
    ranked = rank_suggestions(guide_steps=[], theme_items=[
        themed(1, matched=1, position=0), themed(2, matched=2, position=5),
        themed(3, matched=1, position=1)])
    assert ids(ranked) == [2, 1, 3]


def test_pinned_or_applied_items_are_left_out_and_each_item_comes_once():
    ranked = rank_suggestions(guide_steps=[step(1), step(2, number=2)],
                              theme_items=[themed(2), themed(3), themed(4)],
                              excluded_item_ids={1, 4})
    assert ids(ranked) == [2, 3]
    assert ranked[0].guide_slug == "jiehun"  # kept for its most relevant reason


def test_at_most_eight_suggestions():
    ranked = rank_suggestions(guide_steps=[step(n, number=n) for n in range(1, 6)],
                              theme_items=[themed(n, position=n) for n in range(10, 20)])
    assert len(ranked) == MAX_SUGGESTIONS == 8
    assert ids(ranked) == [1, 2, 3, 4, 5, 10, 11, 12]


def test_nothing_to_suggest_gives_an_empty_list():
    assert rank_suggestions(guide_steps=[], theme_items=[]) == []
