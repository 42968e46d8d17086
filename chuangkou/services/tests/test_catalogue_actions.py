"""save_service_item, publish_service_item and unpublish_service_item: every validation rule,
idempotence on the item code, rows replaced (and kept by name), audit events, permissions."""

from dataclasses import replace
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from chuangkou.core.models import AuditEvent
from chuangkou.organizations.choices import Role

from .. import actions
from ..actions.catalogue import (
    FAQData,
    FormFieldData,
    MaterialData,
    ServiceItemData,
    StepData,
    service_item_data,
)
from ..choices import (
    Audience,
    DeliveryMethod,
    FormFieldKind,
    MaterialForm,
    OnlineDepth,
    ServiceItemKind,
)
from ..exceptions import ServicesRuleViolation
from ..models import ApplicationUpload, OnlineFormField, ServiceItem, ServiceMaterial
from .factories import make_application, make_item

pytestmark = pytest.mark.django_db


def item_data(body, **changes) -> ServiceItemData:
    data = ServiceItemData(
        code="330100-JY-0001", name="义务教育阶段转学申请",
        kind=ServiceItemKind.PUBLIC_SERVICE, implementing_body=body,
        audience=Audience.PERSON, theme_keys=(("person", "jiaoyu"),),
        channel_slugs=("shimin",), summary="为义务教育阶段学生办理转学。",
        legal_basis="《中华人民共和国义务教育法》第十二条", acceptance_conditions="适龄儿童少年。",
        place="示例市政务服务中心", office_hours="工作日 9:00-17:00",
        legal_time_limit_days=20, promised_time_limit_days=5,
        consultation_phone="0571-12345678", complaint_phone="12345",
        online_depth=OnlineDepth.ONLINE_APPLICATION,
        delivery_methods=(DeliveryMethod.ONLINE,),
        materials=(MaterialData(name="居民身份证"),
                   MaterialData(name="转学申请表", form=MaterialForm.ELECTRONIC,
                                upload_required=True)),
        steps=(StepData(name="受理"), StepData(name="审查", time_limit_days=3),
               StepData(name="决定")),
        faqs=(FAQData(question="转学需要多久？", answer="五个工作日。"),),
        form_fields=(FormFieldData(name="student_name", label="学生姓名", max_length=20),
                     FormFieldData(name="grade", label="年级", kind=FormFieldKind.CHOICE,
                                   choices="一年级\n二年级")),
    )
    return replace(data, **changes)


@pytest.fixture
def manager(cluster):
    return cluster.user("education", Role.SERVICE_ITEM_MANAGER)


def refused(data, actor, **kwargs) -> dict:
    with pytest.raises(ServicesRuleViolation) as caught:
        actions.save_service_item(data=data, actor=actor, **kwargs)
    return caught.value.errors


# --------------------------------------------------------------------------- creating


def test_saving_a_new_code_creates_the_item_with_all_its_lists(cluster, manager):
    item, created = actions.save_service_item(data=item_data(cluster.education), actor=manager)

    assert created
    assert item.implementing_body == cluster.education
    assert [m.name for m in item.materials.all()] == ["居民身份证", "转学申请表"]
    assert [s.name for s in item.steps.all()] == ["受理", "审查", "决定"]
    assert item.faqs.get().answer == "五个工作日。"
    assert [f.name for f in item.form_fields.all()] == ["student_name", "grade"]
    assert [t.slug for t in item.themes.all()] == ["jiaoyu"]
    assert [c.slug for c in item.channels.all()] == ["shimin"]
    assert item.delivery_methods == ["online"]


def test_creating_an_item_writes_a_created_audit_event(cluster, manager):
    item, _ = actions.save_service_item(data=item_data(cluster.education), actor=manager)

    event = AuditEvent.objects.get(action="services.item.created")
    assert event.actor == manager
    assert event.target_id == str(item.pk)
    assert "materials" in event.data["changed"] and "name" in event.data["changed"]


def test_saving_the_same_code_again_updates_instead_of_duplicating(cluster, manager):
    first, created = actions.save_service_item(data=item_data(cluster.education),
                                               actor=manager)
    second, created_again = actions.save_service_item(
        data=item_data(cluster.education, name="转学申请（修订）"), actor=manager)

    assert created and not created_again
    assert first.pk == second.pk
    assert ServiceItem.objects.filter(code="330100-JY-0001").count() == 1
    assert ServiceItem.objects.get(pk=first.pk).name == "转学申请（修订）"


def test_an_update_audit_names_only_the_changed_fields(cluster, manager):
    actions.save_service_item(data=item_data(cluster.education), actor=manager)
    actions.save_service_item(data=item_data(cluster.education, place="新地址",
                                             faqs=()), actor=manager)

    event = AuditEvent.objects.get(action="services.item.updated")
    assert sorted(event.data["changed"]) == ["faqs", "place"]


def test_saving_unchanged_data_writes_no_update_event(cluster, manager):
    actions.save_service_item(data=item_data(cluster.education), actor=manager)
    actions.save_service_item(data=item_data(cluster.education), actor=manager)

    assert not AuditEvent.objects.filter(action="services.item.updated").exists()


def test_lists_are_replaced_and_rows_with_the_same_name_are_kept(cluster, manager):
    item, _ = actions.save_service_item(data=item_data(cluster.education), actor=manager)
    kept_material = item.materials.get(name="转学申请表")
    kept_field = item.form_fields.get(name="grade")
    kept_step = item.steps.get(name="审查")

    data = item_data(
        cluster.education,
        materials=(MaterialData(name="转学申请表", form=MaterialForm.ELECTRONIC, copies=2,
                                upload_required=True),
                   MaterialData(name="户口簿")),
        steps=(StepData(name="审查", time_limit_days=2),),
        faqs=(FAQData(question="新问题？", answer="新答案。"),),
        form_fields=(FormFieldData(name="grade", label="转入年级", kind=FormFieldKind.CHOICE,
                                   choices="一年级\n二年级\n三年级"),))
    actions.save_service_item(data=data, actor=manager)

    materials = list(item.materials.all())
    assert [m.name for m in materials] == ["转学申请表", "户口簿"]
    assert materials[0].pk == kept_material.pk and materials[0].copies == 2
    assert [f.pk for f in item.form_fields.all()] == [kept_field.pk]
    assert item.form_fields.get().label == "转入年级"
    assert [s.pk for s in item.steps.all()] == [kept_step.pk]
    assert [f.question for f in item.faqs.all()] == ["新问题？"]


def test_an_upload_keeps_its_material_when_the_item_is_saved_again(cluster, manager):
    item, _ = actions.save_service_item(data=item_data(cluster.education), actor=manager)
    application = make_application(item=item)
    material = item.materials.get(name="转学申请表")
    upload = ApplicationUpload.objects.create(application=application, material=material,
                                              file="2026/11/a.pdf", original_name="a.pdf",
                                              content_type="application/pdf", size=10)

    actions.save_service_item(data=item_data(cluster.education, summary="改了简介"),
                              actor=manager)

    upload.refresh_from_db()
    assert upload.material_id == material.pk


def test_an_existing_item_can_be_passed_and_its_code_changed(cluster, manager):
    item, _ = actions.save_service_item(data=item_data(cluster.education), actor=manager)
    changed, created = actions.save_service_item(
        data=item_data(cluster.education, code="330100-JY-0002"), actor=manager, item=item)

    assert not created and changed.pk == item.pk and changed.code == "330100-JY-0002"


def test_changing_the_code_to_another_items_code_is_refused(cluster, manager):
    other = make_item(body=cluster.education, code="330100-JY-9999")
    item, _ = actions.save_service_item(data=item_data(cluster.education), actor=manager)

    errors = refused(item_data(cluster.education, code=other.code), manager, item=item)
    assert "code" in errors


# --------------------------------------------------------------------------- permissions


def test_a_manager_of_another_body_may_not_create_an_item_for_this_body(cluster):
    with pytest.raises(PermissionDenied):
        actions.save_service_item(data=item_data(cluster.education),
                                  actor=cluster.user("health", Role.SERVICE_ITEM_MANAGER))
    assert not ServiceItem.objects.exists()


@pytest.mark.parametrize("role", [Role.SERVICE_HANDLER, Role.SERVICE_SUPERVISOR,
                                  Role.SYSTEM_ADMINISTRATOR, Role.AUDITOR])
def test_other_roles_of_the_same_body_may_not_save_items(cluster, role):
    with pytest.raises(PermissionDenied):
        actions.save_service_item(data=item_data(cluster.education),
                                  actor=cluster.user("education", role))


def test_moving_an_item_needs_the_manager_role_in_both_bodies(cluster, manager):
    item, _ = actions.save_service_item(data=item_data(cluster.education), actor=manager)
    with pytest.raises(PermissionDenied):
        actions.save_service_item(data=item_data(cluster.health), actor=manager)
    health_manager = cluster.user("health", Role.SERVICE_ITEM_MANAGER)
    with pytest.raises(PermissionDenied):
        actions.save_service_item(data=item_data(cluster.health), actor=health_manager)
    assert ServiceItem.objects.get(pk=item.pk).implementing_body == cluster.education


def test_commands_may_save_without_an_actor(cluster):
    item, created = actions.save_service_item(data=item_data(cluster.education), actor=None,
                                              check_permission=False)
    assert created and item.pk
    assert AuditEvent.objects.get(action="services.item.created").actor is None


def test_anonymous_users_may_not_save_items(cluster):
    with pytest.raises(PermissionDenied):
        actions.save_service_item(data=item_data(cluster.education), actor=None)


# --------------------------------------------------------------------------- validation


@pytest.mark.parametrize(("changes", "key"), [
    ({"code": "bad code"}, "code"),
    ({"code": ""}, "code"),
    ({"name": ""}, "name"),
    ({"kind": "nonsense"}, "kind"),
    ({"audience": "martians"}, "audience"),
    ({"online_depth": 5}, "online_depth"),
    ({"required_identity": "passport"}, "required_identity"),
    ({"legal_time_limit_days": 3, "promised_time_limit_days": 5}, "promised_time_limit_days"),
    ({"visits_required": -1}, "visits_required"),
    ({"delivery_methods": ("pigeon",)}, "delivery_methods"),
    ({"theme_keys": (("person", "no-such-theme"),)}, "themes"),
    ({"theme_keys": (("enterprise", "jiaoyu"),)}, "themes"),
    ({"channel_slugs": ("martians",)}, "channels"),
    ({"summary": "长" * 301}, "summary"),
])
def test_each_invalid_item_field_is_refused_on_its_own_key(cluster, manager, changes, key):
    errors = refused(item_data(cluster.education, **changes), manager)

    assert key in errors, errors
    assert not ServiceItem.objects.exists()


def test_unknown_themes_and_channels_are_named_in_the_message(cluster, manager):
    errors = refused(item_data(cluster.education, theme_keys=(("person", "xyz"),),
                               channel_slugs=("abc",)), manager)
    assert "person/xyz" in errors["themes"][0]
    assert "abc" in errors["channels"][0]


def test_promise_longer_than_the_law_names_the_rule(cluster, manager):
    errors = refused(item_data(cluster.education, legal_time_limit_days=3,
                               promised_time_limit_days=5), manager)
    assert errors["promised_time_limit_days"] == ["承诺时限不能长于法定时限。"]


@pytest.mark.parametrize(("row", "key"), [
    (MaterialData(name=""), "materials-2-name"),
    (MaterialData(name="户口簿", form="scroll"), "materials-2-form"),
    (MaterialData(name="户口簿", copies=0), "materials-2-copies"),
    (MaterialData(name="居民身份证"), "materials-2-name"),
    (MaterialData(name="户口簿", blank_form_id=999999), "materials-2-blank_form"),
])
def test_each_invalid_material_is_refused_on_its_row(cluster, manager, row, key):
    data = item_data(cluster.education)
    errors = refused(replace(data, materials=(*data.materials, row)), manager)
    assert key in errors, errors


def test_an_invalid_step_and_faq_are_refused_on_their_rows(cluster, manager):
    errors = refused(item_data(cluster.education,
                               steps=(StepData(name="受理"), StepData(name="")),
                               faqs=(FAQData(question="问？", answer=""),)), manager)
    assert "steps-1-name" in errors
    assert "faqs-0-answer" in errors


@pytest.mark.parametrize(("field", "key", "fragment"), [
    (FormFieldData(name="Bad Name!", label="x"), "form_fields-0-name", None),
    (FormFieldData(name="a", label=""), "form_fields-0-label", None),
    (FormFieldData(name="a", label="甲", kind="telepathy"), "form_fields-0-kind", None),
    (FormFieldData(name="a", label="甲", kind=FormFieldKind.CHOICE, choices="只有一个"),
     "form_fields-0-choices", "至少要有两个选项"),
    (FormFieldData(name="a", label="甲", kind=FormFieldKind.MULTIPLE_CHOICE, choices=""),
     "form_fields-0-choices", "至少要有两个选项"),
    (FormFieldData(name="a", label="车牌", pattern="[A-Z"), "form_fields-0-pattern", "车牌"),
    (FormFieldData(name="a", label="金额", kind=FormFieldKind.DECIMAL,
                   min_value=Decimal("10"), max_value=Decimal("1")),
     "form_fields-0-max_value", "金额"),
])
def test_each_invalid_form_field_is_refused_on_its_row(cluster, manager, field, key,
                                                       fragment):
    errors = refused(item_data(cluster.education, form_fields=(field,)), manager)
    assert key in errors, errors
    if fragment:
        assert fragment in errors[key][0]


def test_duplicate_form_field_names_are_refused_on_the_second_row(cluster, manager):
    errors = refused(item_data(cluster.education, form_fields=(
        FormFieldData(name="a", label="甲"), FormFieldData(name="a", label="乙"))), manager)
    assert "form_fields-1-name" in errors


def test_a_valid_pattern_and_range_are_accepted(cluster, manager):
    item, _ = actions.save_service_item(data=item_data(cluster.education, form_fields=(
        FormFieldData(name="plate", label="车牌", pattern=r"^[A-Z]\d{5}$"),
        FormFieldData(name="amount", label="金额", kind=FormFieldKind.DECIMAL,
                      min_value=Decimal("1"), max_value=Decimal("1")))), actor=manager)
    assert item.form_fields.count() == 2


def test_every_problem_is_reported_at_once(cluster, manager):
    errors = refused(item_data(cluster.education, name="", channel_slugs=("x",),
                               materials=(MaterialData(name=""),)), manager)
    assert {"name", "channels", "materials-0-name"} <= set(errors)


def test_a_published_online_item_needs_something_to_submit(cluster, manager):
    errors = refused(item_data(cluster.education, is_published=True, form_fields=(),
                               materials=(MaterialData(name="居民身份证"),)), manager)
    assert "online_depth" in errors
    assert "网办深度" in errors["online_depth"][0]


def test_an_online_item_with_only_an_upload_may_be_published(cluster, manager):
    item, _ = actions.save_service_item(
        data=item_data(cluster.education, is_published=True, form_fields=()), actor=manager)
    assert item.is_published


def test_an_unpublished_online_item_may_lack_a_form(cluster, manager):
    item, _ = actions.save_service_item(
        data=item_data(cluster.education, form_fields=(),
                       materials=(MaterialData(name="居民身份证"),)), actor=manager)
    assert not item.is_published


def test_a_refused_update_changes_nothing(cluster, manager):
    item, _ = actions.save_service_item(data=item_data(cluster.education), actor=manager)
    refused(item_data(cluster.education, name="新名字", materials=(MaterialData(name=""),)),
            manager)

    item.refresh_from_db()
    assert item.name == "义务教育阶段转学申请"
    assert item.materials.count() == 2


# --------------------------------------------------------------------------- publishing


def test_publishing_and_unpublishing_are_audited(cluster, manager):
    item, _ = actions.save_service_item(data=item_data(cluster.education), actor=manager)

    actions.publish_service_item(item=item, actor=manager)
    assert ServiceItem.objects.get(pk=item.pk).is_published
    actions.unpublish_service_item(item=item, actor=manager)
    assert not ServiceItem.objects.get(pk=item.pk).is_published

    assert list(AuditEvent.objects.filter(action__startswith="services.item.p")
                .values_list("action", flat=True)) == ["services.item.published"]
    assert AuditEvent.objects.filter(action="services.item.unpublished").count() == 1


def test_publishing_runs_the_same_checks_as_saving(cluster, manager):
    item, _ = actions.save_service_item(
        data=item_data(cluster.education, form_fields=(),
                       materials=(MaterialData(name="居民身份证"),)), actor=manager)

    with pytest.raises(ServicesRuleViolation) as caught:
        actions.publish_service_item(item=item, actor=manager)
    assert "online_depth" in caught.value.errors
    assert not ServiceItem.objects.get(pk=item.pk).is_published


def test_publishing_twice_is_refused(cluster, manager):
    item = make_item(body=cluster.education, published=True)
    with pytest.raises(ServicesRuleViolation):
        actions.publish_service_item(item=item, actor=manager)
    with pytest.raises(ServicesRuleViolation):
        actions.unpublish_service_item(item=make_item(body=cluster.education, published=False),
                                       actor=manager)


@pytest.mark.parametrize("who", [("health", Role.SERVICE_ITEM_MANAGER),
                                 ("education", Role.SERVICE_HANDLER),
                                 ("city", Role.SERVICE_SUPERVISOR)])
def test_only_the_bodys_managers_may_publish(cluster, who):
    item = make_item(body=cluster.education, published=False)
    with pytest.raises(PermissionDenied):
        actions.publish_service_item(item=item, actor=cluster.user(*who))
    published = make_item(body=cluster.education, published=True)
    with pytest.raises(PermissionDenied):
        actions.unpublish_service_item(item=published, actor=cluster.user(*who))


def test_service_item_data_round_trips_through_save(cluster, manager):
    item, _ = actions.save_service_item(data=item_data(cluster.education), actor=manager)
    data = service_item_data(ServiceItem.objects.get(pk=item.pk))

    assert data == item_data(cluster.education)
    assert ServiceMaterial.objects.filter(item=item).count() == 2
    assert OnlineFormField.objects.filter(item=item).count() == 2
