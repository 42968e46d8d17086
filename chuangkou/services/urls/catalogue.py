"""Public URLs of catalogue."""

urlpatterns: list = []
