"""Reads of applications (see the services brief)."""

__all__: list[str] = []
