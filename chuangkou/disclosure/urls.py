from django.urls import path

from .views import applications

app_name = "disclosure"

urlpatterns = [
    path("zwgk/ysqgk/", applications.landing, name="application_landing"),
    path("zwgk/ysqgk/query/", applications.lookup, name="application_lookup"),
    path("zwgk/ysqgk/mine/", applications.mine, name="my_applications"),
    path("zwgk/ysqgk/mine/<str:number>/", applications.mine_detail, name="my_application"),
    path("zwgk/ysqgk/receipt/<str:number>/", applications.receipt, name="application_receipt"),
    path("zwgk/ysqgk/attachments/<int:pk>/", applications.attachment,
         name="application_attachment"),
    path("zwgk/ysqgk/<slug:body_slug>/apply/", applications.apply, name="application_apply"),
]
