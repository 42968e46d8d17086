"""Public URLs of 预约服务 under /banshi/bookings/."""

from django.urls import path

from ..views import bookings as views

urlpatterns = [
    path("bookings/", views.bookings, name="bookings"),
    path("bookings/resources/<int:pk>/", views.resource, name="booking_resource"),
    path("bookings/slots/<int:pk>/book/", views.book, name="book"),
    path("bookings/query/", views.booking_query, name="booking_query"),
    path("bookings/<slug:number>/", views.booking, name="booking"),
    path("bookings/<slug:number>/receipt/", views.booking_receipt, name="booking_receipt"),
    path("bookings/<slug:number>/cancel/", views.booking_cancel, name="booking_cancel"),
]
