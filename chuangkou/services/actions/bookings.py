"""Actions of bookings (see the services brief)."""

__all__: list[str] = []
