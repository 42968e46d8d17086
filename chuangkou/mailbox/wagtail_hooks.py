from .hooks import configuration, exchange, letters, menu, statistics  # noqa: F401
