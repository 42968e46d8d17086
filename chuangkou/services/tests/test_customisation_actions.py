"""服务定制 actions: pins in the citizen's order, followed themes, guide progress; only citizens,
only published things, audited."""

import pytest
from django.core.exceptions import PermissionDenied

from chuangkou.accounts.choices import IdentityLevel
from chuangkou.accounts.tests.factories import make_citizen
from chuangkou.core.audit import AuditEvent
from chuangkou.organizations.choices import Role

from .. import actions
from ..actions.customisation import MAX_PINS
from ..exceptions import ServicesRuleViolation
from ..models import GuideProgress, ServiceInterest, ServicePin
from .citizens_support import make_guide, theme
from .factories import make_item

pytestmark = pytest.mark.django_db


@pytest.fixture
def citizen():
    return make_citizen().user


@pytest.fixture
def items(cluster):
    return [make_item(body=cluster.education, name=name) for name in
            ("义务教育阶段转学申请", "教师资格认定", "学生资助申请")]


def pinned(user):
    return list(ServicePin.objects.filter(user=user).order_by("position")
                .values_list("item__name", "position"))


def test_pins_go_to_the_end_and_pinning_again_changes_nothing(citizen, items):
    actions.pin_service(user=citizen, item=items[0])
    actions.pin_service(user=citizen, item=items[1])
    again = actions.pin_service(user=citizen, item=items[0])
    assert again.position == 1
    assert pinned(citizen) == [("义务教育阶段转学申请", 1), ("教师资格认定", 2)]
    assert AuditEvent.objects.filter(action="services.pin.added").count() == 2


def test_moving_a_pin_swaps_it_with_its_neighbour_and_stops_at_the_ends(citizen, items):
    for item in items:
        actions.pin_service(user=citizen, item=item)
    actions.move_pinned_service(user=citizen, item=items[2], direction="up")
    assert [name for name, _position in pinned(citizen)] == [
        "义务教育阶段转学申请", "学生资助申请", "教师资格认定"]
    actions.move_pinned_service(user=citizen, item=items[0], direction="up")
    actions.move_pinned_service(user=citizen, item=items[1], direction="down")
    assert pinned(citizen) == [("义务教育阶段转学申请", 1), ("学生资助申请", 2), ("教师资格认定", 3)]


def test_a_move_needs_a_direction_and_a_pinned_item(citizen, items):
    actions.pin_service(user=citizen, item=items[0])
    with pytest.raises(ServicesRuleViolation) as error:
        actions.move_pinned_service(user=citizen, item=items[0], direction="sideways")
    assert "direction" in error.value.errors
    with pytest.raises(ServicesRuleViolation) as error:
        actions.move_pinned_service(user=citizen, item=items[1], direction="up")
    assert "没有收藏" in error.value.errors["item"][0]


def test_unpinning_closes_the_gap(citizen, items):
    for item in items:
        actions.pin_service(user=citizen, item=item)
    assert actions.unpin_service(user=citizen, item=items[0]) is True
    assert actions.unpin_service(user=citizen, item=items[0]) is False
    assert pinned(citizen) == [("教师资格认定", 1), ("学生资助申请", 2)]


def test_an_unpublished_item_cannot_be_pinned(cluster, citizen):
    hidden = make_item(body=cluster.education, published=False)
    with pytest.raises(ServicesRuleViolation) as error:
        actions.pin_service(user=citizen, item=hidden)
    assert "未公开" in error.value.errors["item"][0]
    assert not ServicePin.objects.exists()


def test_pins_are_limited(cluster, citizen, items, monkeypatch):
    monkeypatch.setattr("chuangkou.services.actions.customisation.MAX_PINS", 2)
    actions.pin_service(user=citizen, item=items[0])
    actions.pin_service(user=citizen, item=items[1])
    with pytest.raises(ServicesRuleViolation) as error:
        actions.pin_service(user=citizen, item=items[2])
    assert "最多收藏2项" in error.value.errors["item"][0]
    assert MAX_PINS == 30


def test_staff_and_closed_accounts_do_not_customise(cluster, items):
    staff = cluster.user("education", Role.SERVICE_HANDLER)
    with pytest.raises(PermissionDenied):
        actions.pin_service(user=staff, item=items[0])
    closed = make_citizen()
    closed.status = "closed"
    closed.closed_at = closed.created_at
    closed.save()
    with pytest.raises(PermissionDenied):
        actions.set_service_interests(user=closed.user, themes=[])
    assert not ServicePin.objects.exists()


def test_followed_themes_become_exactly_the_ones_chosen(citizen):
    jiaoyu, shengyu, huji = theme("jiaoyu"), theme("shengyu"), theme("huji")
    actions.set_service_interests(user=citizen, themes=[jiaoyu, shengyu])
    chosen = actions.set_service_interests(user=citizen, themes=[shengyu, huji])
    assert {interest.theme.slug for interest in chosen} == {"shengyu", "huji"}
    assert ServiceInterest.objects.filter(user=citizen).count() == 2
    event = AuditEvent.objects.filter(action="services.interests.changed").latest("pk")
    assert event.data == {"added": [huji.pk], "removed": [jiaoyu.pk]}


def test_guide_answers_are_kept_once_per_guide_and_only_for_citizens(cluster, citizen, items):
    guide, question, yes = make_guide(cluster.education, items)
    first = actions.record_guide_progress(user=citizen, guide=guide, answers={question.pk: yes.pk})
    again = actions.record_guide_progress(user=citizen, guide=guide,
                                          answers={question.pk: yes.pk})
    assert again.pk == first.pk and again.chosen() == {question.pk: yes.pk}
    assert GuideProgress.objects.get().answers == {str(question.pk): yes.pk}
    assert AuditEvent.objects.filter(action="services.guide_progress.recorded").count() == 1
    staff = cluster.user("education", Role.EDITOR)
    assert actions.record_guide_progress(user=staff, guide=guide,
                                         answers={question.pk: yes.pk}) is None
    assert actions.record_guide_progress(user=citizen, guide=guide, answers={}) is None
    assert GuideProgress.objects.count() == 1


def test_progress_on_an_unpublished_guide_is_refused(cluster, items):
    guide, question, yes = make_guide(cluster.education, items, published=False)
    unverified = make_citizen(level=IdentityLevel.UNVERIFIED).user
    with pytest.raises(ServicesRuleViolation):
        actions.record_guide_progress(user=unverified, guide=guide,
                                      answers={question.pk: yes.pk})
