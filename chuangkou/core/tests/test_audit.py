import pytest

from chuangkou.core.audit import record_event
from chuangkou.core.context import client_address
from chuangkou.core.exceptions import AuditRecordImmutable
from chuangkou.core.models import AuditEvent
from chuangkou.organizations.tests.factories import UserFactory, make_body


@pytest.mark.django_db
def test_event_records_actor_target_and_client_address():
    user, body = UserFactory(), make_body()
    token = client_address.set("10.1.2.3")
    try:
        event = record_event("body.checked", actor=user, target=body, data={"why": "test"})
    finally:
        client_address.reset(token)
    event.refresh_from_db()
    assert (event.actor, event.actor_label, event.client_address) == (user, user.username, "10.1.2.3")
    assert event.target_id == str(body.pk) and event.target_label == body.name
    assert event.occurred_at.tzinfo is not None


@pytest.mark.django_db
def test_audit_records_cannot_be_changed_or_deleted():
    event = record_event("something.done")
    event.action = "something.else"
    with pytest.raises(AuditRecordImmutable):
        event.save()
    with pytest.raises(AuditRecordImmutable):
        event.delete()
    assert AuditEvent.objects.get(pk=event.pk).action == "something.done"


@pytest.mark.django_db
def test_client_address_comes_from_the_request(client, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    client.post("/zhaocuo/", {"page_url": "/", "description": "页面有错别字，请修改。",
                               "contact": "", "form_token": "tok-audit-1"},
                HTTP_X_FORWARDED_FOR="203.0.113.9")
    event = AuditEvent.objects.get(action="error_report.received")
    assert event.client_address == "203.0.113.9"
