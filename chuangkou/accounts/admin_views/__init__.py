"""Staff screens of the accounts domain in the Wagtail admin."""
