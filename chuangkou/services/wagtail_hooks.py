from .hooks import (  # noqa: F401
    applications,
    bookings,
    catalogue,
    catalogue_io,
    citizens,
    guides,
    integration,
    menu,
    ratings,
)
