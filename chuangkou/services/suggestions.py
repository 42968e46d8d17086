"""为您推荐: which service items to suggest to a signed-in citizen, most relevant first. Pure: no
ORM; ``queries.customisation`` gathers the candidates.

Two sources, as Beijing's 市民主页 does with its 个性化提醒 and 服务定制:

- a life-event guide the citizen started (场景式服务): the steps of their plan they have not yet
  applied for come first — they are in the middle of that life event, and the next step is
  what they need now. The most recently answered guide comes first; within a guide, the plan's
  order (the order the steps are to be done in).
- the themes they chose to follow (关注的主题): an item in more of the chosen themes ranks
  higher; equal ones keep the catalogue's order.

Items the citizen already applied for, or pinned (they are on the homepage already), are left
out, and an item is suggested once, for its most relevant reason.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

__all__ = ["MAX_SUGGESTIONS", "GuideStepCandidate", "Suggestion", "ThemeCandidate",
           "rank_suggestions"]

MAX_SUGGESTIONS = 8


@dataclass(frozen=True, kw_only=True)
class GuideStepCandidate:
    """A step's item in the plan of a guide the citizen started."""

    item_id: int
    code: str
    name: str
    guide_slug: str
    guide_title: str
    guide_updated_at: datetime
    step_number: int


@dataclass(frozen=True, kw_only=True)
class ThemeCandidate:
    """A published item in at least one theme the citizen follows."""

    item_id: int
    code: str
    name: str
    matched_themes: int
    catalogue_position: int


@dataclass(frozen=True, kw_only=True)
class Suggestion:
    item_id: int
    code: str
    name: str
    # The guide the item continues, or "" for an item suggested by a followed theme.
    guide_slug: str = ""
    guide_title: str = ""


def rank_suggestions(*, guide_steps: Iterable[GuideStepCandidate],
                     theme_items: Iterable[ThemeCandidate],
                     excluded_item_ids: Iterable[int] = (),
                     limit: int = MAX_SUGGESTIONS) -> list[Suggestion]:
    """At most ``limit`` suggestions: started guides' next steps, then followed themes' items."""
    excluded = set(excluded_item_ids)
    ranked: list[Suggestion] = []
    seen: set[int] = set()
    ordered_steps = sorted(guide_steps, key=lambda step: (
        -step.guide_updated_at.timestamp(), step.guide_slug, step.step_number))
    ordered_items = sorted(theme_items, key=lambda item: (
        -item.matched_themes, item.catalogue_position, item.code))
    for candidate in (*ordered_steps, *ordered_items):
        if len(ranked) >= limit:
            break
        if candidate.item_id in excluded or candidate.item_id in seen:
            continue
        seen.add(candidate.item_id)
        ranked.append(Suggestion(
            item_id=candidate.item_id, code=candidate.code, name=candidate.name,
            guide_slug=getattr(candidate, "guide_slug", ""),
            guide_title=getattr(candidate, "guide_title", "")))
    return ranked
