"""Views of the mailbox's public site (``public``); staff screens live in ``admin_views``."""
