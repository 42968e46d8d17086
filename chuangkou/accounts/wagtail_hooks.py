from .hooks import admin, enterprises, homepage, menu, recipients  # noqa: F401
