"""Admin URLs and menu items of applications."""
