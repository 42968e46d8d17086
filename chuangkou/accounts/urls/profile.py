from django.urls import path

from ..views import profile as views

urlpatterns = [
    path("profile/", views.profile, name="profile"),
    path("profile/edit/", views.edit_profile, name="profile_edit"),
    path("profile/download/", views.download, name="profile_download"),
    path("profile/close/", views.close_account, name="account_close"),
]
