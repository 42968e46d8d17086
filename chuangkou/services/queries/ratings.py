"""Reads of ratings (see the services brief)."""

__all__: list[str] = []
