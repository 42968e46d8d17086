"""Admin URLs and menu items of integration."""
