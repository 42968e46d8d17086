from django.urls import path

from ..views import enterprises as views

urlpatterns = [
    path("enterprises/", views.enterprises, name="enterprises"),
    path("enterprises/act/", views.act, name="enterprise_act"),
    path("enterprises/register/", views.register, name="enterprise_register"),
    path("enterprises/invitations/<str:token>/", views.accept_invitation,
         name="enterprise_invitation"),
    path("enterprises/<int:pk>/", views.enterprise, name="enterprise"),
    path("enterprises/<int:pk>/leave/", views.leave, name="enterprise_leave"),
    path("enterprises/<int:pk>/members/", views.members, name="enterprise_members"),
    path("enterprises/<int:pk>/members/invite/", views.invite, name="enterprise_invite"),
    path("enterprises/<int:pk>/members/<int:membership_pk>/remove/", views.remove_member,
         name="enterprise_member_remove"),
    path("enterprises/<int:pk>/members/<int:membership_pk>/role/", views.set_member_role,
         name="enterprise_member_role"),
    path("enterprises/<int:pk>/invitations/<int:invitation_pk>/revoke/",
         views.revoke_invitation, name="enterprise_invitation_revoke"),
]
