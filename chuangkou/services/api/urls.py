"""Back-office integration API of 网上办事 under /api/v1/services/."""

urlpatterns: list = []
