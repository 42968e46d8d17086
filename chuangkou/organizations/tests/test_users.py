import pytest
from django.contrib.auth.models import Group

from chuangkou.organizations.choices import Role


@pytest.mark.django_db
def test_user_screens_offer_no_group_or_superuser_fields(client, cluster):
    client.force_login(cluster.user("city", Role.SYSTEM_ADMINISTRATOR))
    response = client.get("/admin/users/new/")
    assert response.status_code == 200
    form = response.context["form"]
    assert "groups" not in form.fields and "is_superuser" not in form.fields
    editor = cluster.user("health", Role.EDITOR)
    edit = client.get(f"/admin/users/edit/{editor.pk}/")
    assert "groups" not in edit.context["form"].fields


@pytest.mark.django_db
def test_posting_groups_to_the_user_screen_changes_no_group(client, cluster):
    client.force_login(cluster.user("city", Role.SYSTEM_ADMINISTRATOR))
    editor = cluster.user("health", Role.EDITOR)
    groups_before = set(editor.groups.values_list("pk", flat=True))
    all_groups = list(Group.objects.values_list("pk", flat=True))
    client.post(f"/admin/users/edit/{editor.pk}/", {
        "username": editor.username, "email": editor.email, "first_name": "", "last_name": "",
        "is_active": "on", "is_superuser": "on", "groups": all_groups,
    })
    editor.refresh_from_db()
    assert set(editor.groups.values_list("pk", flat=True)) == groups_before
    assert not editor.is_superuser
