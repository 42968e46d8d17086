"""Admin URLs and menu items of guides."""
