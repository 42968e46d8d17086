"""个性化提醒 under /yonghu/reminders/."""

from django.urls import path

from ..views import reminders as views

urlpatterns = [
    path("reminders/", views.reminders, name="reminders"),
    path("reminders/add/", views.reminder_add, name="reminder_add"),
    path("reminders/<int:pk>/edit/", views.reminder_edit, name="reminder_edit"),
    path("reminders/<int:pk>/delete/", views.reminder_delete, name="reminder_delete"),
]
