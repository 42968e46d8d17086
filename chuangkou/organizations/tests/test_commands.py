import pytest
from django.contrib.auth.models import Permission
from django.core.management import call_command

from chuangkou.organizations.choices import Role
from chuangkou.organizations.models import RoleGroup


@pytest.mark.django_db
def test_sync_role_groups_restores_permissions_edited_by_hand(cluster):
    group = RoleGroup.objects.get(body=cluster.education, role=Role.EDITOR).group
    group.permissions.add(Permission.objects.get(codename="delete_user"))
    group.page_permissions.all().delete()
    call_command("sync_role_groups", verbosity=0)
    assert not group.permissions.filter(codename="delete_user").exists()
    assert group.page_permissions.filter(page=cluster.education_site.home_page).exists()
