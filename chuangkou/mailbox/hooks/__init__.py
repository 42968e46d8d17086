"""Wagtail admin hooks of the mailbox, one module per part (imported by ``wagtail_hooks``)."""
