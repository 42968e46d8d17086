"""The citizen's inbox of in-site messages (我的消息) under /yonghu/messages/."""

app_name = "notifications"

urlpatterns: list = []
