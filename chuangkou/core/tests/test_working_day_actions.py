"""The working-day override actions: validated, atomic, audited."""

from datetime import date, datetime

import pytest

from chuangkou.core.actions import remove_working_day_override, set_working_day_override
from chuangkou.core.exceptions import WorkingDayOverrideInvalid
from chuangkou.core.models import AuditEvent, WorkingDayOverride

pytestmark = pytest.mark.django_db

NOTICE = "国务院办公厅关于2027年部分节假日安排的通知"


def test_setting_a_day_twice_replaces_the_first_entry_and_records_both():
    first = set_working_day_override(day=date(2027, 2, 6), is_working_day=False, name="春节",
                                     source=NOTICE)
    second = set_working_day_override(day=date(2027, 2, 6), is_working_day=True,
                                      name=" 春节调休上班 ", source=NOTICE)
    assert second.pk == first.pk
    assert WorkingDayOverride.objects.get().name == "春节调休上班"
    events = AuditEvent.objects.filter(action="core.working_day.set").order_by("pk")
    assert [e.data["before"] and e.data["before"]["name"] for e in events] == [None, "春节"]


@pytest.mark.parametrize("field, kwargs", [
    ("name", {"name": "  "}),
    ("source", {"source": ""}),
    ("name", {"name": "节" * 101}),
    ("date", {"day": datetime(2027, 2, 6, 9)}),
])
def test_an_invalid_override_is_refused_with_the_field_named_and_nothing_written(field, kwargs):
    arguments = {"day": date(2027, 2, 6), "is_working_day": False, "name": "春节",
                 "source": NOTICE, **kwargs}
    with pytest.raises(WorkingDayOverrideInvalid) as refused:
        set_working_day_override(**arguments)
    assert field in refused.value.errors
    assert not WorkingDayOverride.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="core.working_day").exists()


def test_removing_an_override_records_what_it_was_and_removing_it_again_is_harmless():
    override = set_working_day_override(day=date(2027, 2, 6), is_working_day=False,
                                        name="春节", source=NOTICE)
    remove_working_day_override(override=override)
    remove_working_day_override(override=override)
    assert not WorkingDayOverride.objects.exists()
    removed = AuditEvent.objects.get(action="core.working_day.removed")
    assert removed.data["before"] == {"date": "2027-02-06", "is_working_day": False,
                                      "name": "春节", "source": NOTICE}
