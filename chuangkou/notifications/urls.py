"""The citizen's inbox of in-site messages (我的消息) under /yonghu/messages/."""

from django.urls import path

from .views import messages as views

app_name = "notifications"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("<int:pk>/", views.message_detail, name="message"),
    path("read-all/", views.mark_all_read, name="mark_all_read"),
]
