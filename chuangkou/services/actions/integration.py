"""Actions of integration (see the services brief)."""

__all__: list[str] = []
