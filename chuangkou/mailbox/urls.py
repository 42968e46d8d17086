from django.urls import path

from .views import public

app_name = "mailbox"

urlpatterns = [
    path("hudong/", public.landing, name="landing"),
    path("hudong/write/", public.write, name="write"),
    path("hudong/receipt/<str:number>/", public.receipt, name="receipt"),
    path("hudong/query/", public.query, name="query"),
    path("hudong/letters/<str:number>/", public.letter, name="letter"),
    path("hudong/letters/<str:number>/rate/", public.rate, name="rate"),
    path("hudong/letters/<str:number>/attachments/<int:pk>/", public.attachment,
         name="attachment"),
    path("hudong/mine/", public.mine, name="mine"),
    path("hudong/published/", public.published, name="published"),
    path("hudong/published/<str:number>/", public.published_letter, name="published_letter"),
    path("hudong/statistics/", public.statistics, name="statistics"),
]
