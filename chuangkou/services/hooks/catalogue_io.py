"""Admin URLs and menu item of the catalogue import and export."""
