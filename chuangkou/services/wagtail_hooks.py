from .hooks import (  # noqa: F401
    applications,
    bookings,
    catalogue,
    catalogue_io,
    guides,
    integration,
    menu,
    ratings,
)
