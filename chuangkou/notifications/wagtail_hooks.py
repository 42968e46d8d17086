from .hooks import accounts, admin, periodic  # noqa: F401
