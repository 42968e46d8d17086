"""Reads of catalogue (see the services brief)."""

__all__: list[str] = []
