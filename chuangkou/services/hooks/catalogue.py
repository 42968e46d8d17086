"""Admin URLs and menu items of catalogue."""
