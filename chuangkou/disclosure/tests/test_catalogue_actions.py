"""Platforms, categories and catalogue records: the rules of the actions."""

import re
from datetime import date

import pytest
import time_machine
from wagtail.models import Page

from chuangkou.core.calendar import WorkingCalendar
from chuangkou.core.models import AuditEvent
from chuangkou.core.validators import credit_code_check_character
from chuangkou.disclosure.actions.catalogue import (
    add_catalogue_category,
    change_document_validity,
    create_disclosure_platform,
    rename_catalogue_category,
    set_catalogue_category_active,
    update_disclosure_record,
)
from chuangkou.disclosure.catalogue_rules import disclosure_due_on, working_days_left
from chuangkou.disclosure.choices import CategoryScheme, DisclosureAttribute, Validity
from chuangkou.disclosure.exceptions import DisclosureRuleViolation
from chuangkou.disclosure.models import (
    AnnualReportColumnPage,
    DisclosureCataloguePage,
    DisclosurePlatformPage,
)
from chuangkou.disclosure.queries.catalogue import categories_for
from chuangkou.disclosure.tests.factories_catalogue import make_document, register, statutory
from chuangkou.organizations.actions import create_body
from chuangkou.organizations.choices import BodyKind, Role
from chuangkou.organizations.tests.factories import make_body
from chuangkou.sitecluster.models import ArticlePage, ColumnPage
from chuangkou.sitecluster.tests.factories import make_column

pytestmark = pytest.mark.django_db


def institution_credit_code(serial: int) -> str:
    first_seventeen = f"12330100{serial:09d}"
    return first_seventeen + credit_code_check_character(first_seventeen)


def make_hospital(cluster):
    return create_body(parent=cluster.health, name="示例市第一人民医院", short_name="市一医院",
                       slug="first-hospital", kind=BodyKind.PUBLIC_INSTITUTION,
                       credit_code=institution_credit_code(7), division_code="330100")


# --- platform ---------------------------------------------------------------------------------


def test_platform_is_created_with_its_four_fixed_columns_and_is_idempotent(cluster):
    platform = create_disclosure_platform(body=cluster.education,
                                          parent_page=cluster.education_site.home_page)
    assert platform.live and platform.slug == "zwgk"
    assert platform.title == "市教育局政府信息公开"
    children = [page.specific for page in platform.get_children().order_by("path")]
    assert [page.title for page in children] == [
        "政府信息公开指南", "政府信息公开制度", "法定主动公开内容", "政府信息公开年报"]
    assert isinstance(children[0], ColumnPage) and isinstance(children[1], ColumnPage)
    assert isinstance(children[2], DisclosureCataloguePage)
    assert isinstance(children[3], AnnualReportColumnPage)
    guide = ArticlePage.objects.child_of(children[0]).get()
    assert "第二十六条" in guide.body and guide.live
    assert create_disclosure_platform(body=cluster.education,
                                      parent_page=cluster.education_site.home_page) == platform
    assert DisclosurePlatformPage.objects.count() == 1


def test_city_platform_under_the_portal_is_granted_to_the_city(cluster):
    platform = create_disclosure_platform(body=cluster.city, parent_page=cluster.portal.home_page)
    assert cluster.city.managed_pages.filter(pk=platform.pk).exists()


def test_platform_takes_another_slug_when_zwgk_is_taken(cluster):
    make_column(parent=cluster.portal.home_page, title="政务公开", slug="zwgk",
                responsible_body=cluster.city)
    platform = create_disclosure_platform(body=cluster.city, parent_page=cluster.portal.home_page)
    assert platform.slug == "zfxxgk"


# --- categories -------------------------------------------------------------------------------


def test_article_21_categories_are_offered_only_to_city_and_district_governments_and_departments(
        cluster):
    street = make_body(parent=cluster.district, name="示例市东城区东湖街道办事处",
                       kind=BodyKind.STREET_OFFICE, slug="donghu")
    assert categories_for(cluster.education).filter(code="land_expropriation").exists()
    assert categories_for(cluster.district).filter(code="land_expropriation").exists()
    assert not categories_for(street).filter(code="land_expropriation").exists()
    assert categories_for(street).filter(code="regulations").exists()


def test_a_body_adds_renames_and_deactivates_its_own_sub_category(cluster):
    officer = cluster.user("education", Role.DISCLOSURE_OFFICER)
    sub = add_catalogue_category(body=cluster.education, name="学校收费", code="school-fees",
                                 parent=statutory("fees"), actor=officer)
    assert sub.scheme == CategoryScheme.STATUTORY and sub.body == cluster.education
    assert categories_for(cluster.education).filter(pk=sub.pk).exists()
    assert not categories_for(cluster.health).filter(pk=sub.pk).exists()
    rename_catalogue_category(category=sub, name="教育收费", actor=officer)
    set_catalogue_category_active(category=sub, active=False, actor=officer)
    assert not categories_for(cluster.education).filter(pk=sub.pk).exists()
    assert AuditEvent.objects.filter(action="disclosure.category.deactivated").exists()


def test_statutory_categories_cannot_be_renamed_or_deactivated(cluster):
    with pytest.raises(DisclosureRuleViolation):
        rename_catalogue_category(category=statutory("fees"), name="收费")
    with pytest.raises(DisclosureRuleViolation):
        set_catalogue_category_active(category=statutory("fees"), active=False)


def test_a_sub_category_cannot_hang_under_another_bodys_category(cluster):
    theirs = add_catalogue_category(body=cluster.health, name="医疗收费", parent=statutory("fees"))
    with pytest.raises(DisclosureRuleViolation) as refused:
        add_catalogue_category(body=cluster.education, name="学校", parent=theirs)
    assert "parent" in refused.value.errors


def test_institution_kinds_are_offered_only_to_institutions_under_that_department(cluster):
    hospital = make_hospital(cluster)
    kind = add_catalogue_category(body=cluster.health, name="医疗服务价格",
                                  scheme=CategoryScheme.INSTITUTION)
    sector = add_catalogue_category(body=cluster.health, name="行业监管信息",
                                    scheme=CategoryScheme.SECTOR_SUPERVISION)
    school = create_body(parent=cluster.education, name="示例市第一中学", short_name="市一中",
                         slug="first-school", kind=BodyKind.PUBLIC_INSTITUTION,
                         credit_code=institution_credit_code(8), division_code="330100")
    assert list(categories_for(hospital)) == [kind]
    assert not categories_for(school).filter(pk=kind.pk).exists()
    assert not categories_for(cluster.health).filter(pk=kind.pk).exists()
    assert categories_for(cluster.health).filter(pk=sector.pk).exists()
    assert not categories_for(cluster.education).filter(pk=sector.pk).exists()


def test_only_a_supervising_department_defines_sector_kinds(cluster):
    with pytest.raises(DisclosureRuleViolation) as refused:
        add_catalogue_category(body=cluster.district, name="供水服务",
                               scheme=CategoryScheme.INSTITUTION)
    assert "第五十五条" in refused.value.errors["scheme"][0]


# --- records ----------------------------------------------------------------------------------


@time_machine.travel("2026-05-06 10:00 +0800", tick=False)
def test_index_number_is_credit_code_year_and_five_digit_sequence(cluster):
    first = register(page=cluster.education_article, body=cluster.education)
    second = make_document(column=cluster.education_news, body=cluster.education)
    assert first.index_number == f"{cluster.education.credit_code}/2026-00001"
    assert second.index_number == f"{cluster.education.credit_code}/2026-00002"
    assert re.fullmatch(r"[0-9A-Z]{18}/\d{4}-\d{5}", first.index_number)
    other = register(page=cluster.health_article, body=cluster.health)
    assert other.index_number.endswith("/2026-00001")


@time_machine.travel("2026-05-06 10:00 +0800", tick=False)
def test_index_number_never_changes_on_update_nor_when_the_body_changes(cluster):
    record = register(page=cluster.education_article, body=cluster.education)
    number = record.index_number
    # The city also manages the education article once the city is granted its column.
    from chuangkou.organizations.actions import grant_page_to_body

    grant_page_to_body(body=cluster.city, page=cluster.education_news)
    update_disclosure_record(
        record=record, body=cluster.city, category=statutory("functions"),
        written_on=date(2026, 4, 1), formed_on=date(2026, 4, 2), document_number="示政发〔2026〕1号",
        theme=record.theme, genre=record.genre, audience=record.audience,
        attribute=record.attribute, withheld_reason="", method=record.method, summary="调整",
    )
    record.refresh_from_db()
    assert record.body == cluster.city and record.index_number == number


def test_title_is_copied_from_the_page_and_follows_it_on_publication(cluster):
    record = register(page=cluster.education_article, body=cluster.education)
    assert record.title == cluster.education_article.title
    page = cluster.education_article
    page.title = "示例市教育局关于秋季开学工作的通知"
    page.save_revision().publish()
    record.refresh_from_db()
    assert record.title == "示例市教育局关于秋季开学工作的通知"


def test_published_on_is_set_on_first_publication_only(cluster):
    with time_machine.travel("2026-06-01 09:00 +0800", tick=False):
        record = make_document(column=cluster.education_news, body=cluster.education,
                               publish=False)
        assert record.published_on is None
        record.page.save_revision().publish()
    with time_machine.travel("2026-06-10 09:00 +0800", tick=False):
        record.page.save_revision().publish()
    record.refresh_from_db()
    assert record.published_on == date(2026, 6, 1)


def test_category_must_be_offered_to_the_body(cluster):
    hospital_kind = add_catalogue_category(body=cluster.health, name="医疗服务价格",
                                           scheme=CategoryScheme.INSTITUTION)
    with pytest.raises(DisclosureRuleViolation) as refused:
        register(page=cluster.health_article, body=cluster.health, category=hospital_kind)
    assert "category" in refused.value.errors


def test_body_must_manage_the_page(cluster):
    with pytest.raises(DisclosureRuleViolation) as refused:
        register(page=cluster.education_article, body=cluster.health)
    assert "body" in refused.value.errors


def test_withheld_attribute_needs_a_reason(cluster):
    with pytest.raises(DisclosureRuleViolation) as refused:
        register(page=cluster.education_article, body=cluster.education,
                 attribute=DisclosureAttribute.NOT_DISCLOSED)
    assert "withheld_reason" in refused.value.errors


def test_a_page_is_registered_once(cluster):
    register(page=cluster.education_article, body=cluster.education)
    with pytest.raises(DisclosureRuleViolation):
        register(page=cluster.education_article, body=cluster.education)


def test_due_date_is_twenty_working_days_and_crosses_national_day(cluster):
    # Formed on Monday 28 September 2026: without holidays 20 weekdays end on Monday 26
    # October; the National Day holiday (1-7 October, with a make-up working Saturday on
    # 10 October) moves the deadline to Friday 30 October.
    record = register(page=cluster.education_article, body=cluster.education,
                      written_on=date(2026, 9, 28), formed_on=date(2026, 9, 28))
    calendar = WorkingCalendar()
    assert record.disclosure_due_on == disclosure_due_on(date(2026, 9, 28), calendar=calendar)
    assert record.disclosure_due_on == date(2026, 10, 30)
    assert working_days_left(date(2026, 9, 28), record.disclosure_due_on,
                             calendar=calendar) == 20


def test_changing_the_formed_date_recomputes_the_due_date(cluster):
    record = register(page=cluster.education_article, body=cluster.education)
    before = record.disclosure_due_on
    update_disclosure_record(
        record=record, body=cluster.education, category=record.category,
        written_on=record.written_on, formed_on=date(2026, 4, 1),
        document_number="", theme=record.theme, genre=record.genre, audience=record.audience,
        attribute=record.attribute, withheld_reason="", method=record.method, summary="")
    record.refresh_from_db()
    assert record.disclosure_due_on > before


def test_validity_change_links_the_replacing_document(cluster):
    old = register(page=cluster.education_article, body=cluster.education)
    new = make_document(column=cluster.education_news, body=cluster.education)
    change_document_validity(record=old, validity=Validity.REPEALED,
                             changed_on=date(2026, 5, 1), replaced_by=new)
    old.refresh_from_db()
    assert old.validity == Validity.REPEALED and old.replaced_by == new
    with pytest.raises(DisclosureRuleViolation):
        change_document_validity(record=old, validity=Validity.LAPSED,
                                 changed_on=date(2026, 5, 1), replaced_by=old)


def test_page_must_exist_for_an_update(cluster):
    record = register(page=cluster.education_article, body=cluster.education)
    Page.objects.filter(pk=cluster.education_article.pk).delete()
    record.refresh_from_db()
    with pytest.raises(DisclosureRuleViolation):
        update_disclosure_record(
            record=record, body=cluster.education, category=record.category,
            written_on=record.written_on, formed_on=record.formed_on, document_number="",
            theme=record.theme, genre=record.genre, audience=record.audience,
            attribute=record.attribute, withheld_reason="", method=record.method, summary="")
