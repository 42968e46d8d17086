from .hooks import applications, bookings, catalogue, guides, integration, menu, ratings  # noqa: F401
