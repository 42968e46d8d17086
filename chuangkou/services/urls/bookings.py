"""Public URLs of bookings."""

urlpatterns: list = []
