"""Admin URLs and menu items of ratings."""
