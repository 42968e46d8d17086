"""Reads of guides (see the services brief)."""

__all__: list[str] = []
