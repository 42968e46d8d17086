"""Public URLs of 网上办事 under /banshi/, one module per part."""

from . import applications, bookings, catalogue, customisation, guides, ratings

app_name = "services"

urlpatterns = [
    *catalogue.urlpatterns,
    *guides.urlpatterns,
    *applications.urlpatterns,
    *customisation.urlpatterns,
    *bookings.urlpatterns,
    *ratings.urlpatterns,
]
