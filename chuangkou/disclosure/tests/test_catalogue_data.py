import pytest

from chuangkou.disclosure.catalogue_data import PLATFORM_COLUMNS, STATUTORY_CATEGORIES
from chuangkou.disclosure.choices import CategoryScheme
from chuangkou.disclosure.models import CatalogueCategory

pytestmark = pytest.mark.django_db


def test_the_migration_seeds_the_fifteen_article_20_and_seven_article_21_categories():
    shared = CatalogueCategory.objects.filter(body__isnull=True, scheme=CategoryScheme.STATUTORY)
    assert shared.filter(source__startswith="政府信息公开条例 第二十条").count() == 15
    local = shared.filter(local_government_only=True)
    assert sorted(local.values_list("name", flat=True)) == sorted(
        ["市政建设", "公共服务", "公益事业", "土地征收", "房屋征收", "治安管理", "社会救助"]
    )
    assert list(shared.values_list("code", flat=True)) == [c.code for c in STATUTORY_CATEGORIES]


def test_the_platform_has_the_four_fixed_first_level_columns_in_order():
    assert [column.title for column in PLATFORM_COLUMNS] == [
        "政府信息公开指南", "政府信息公开制度", "法定主动公开内容", "政府信息公开年报",
    ]
