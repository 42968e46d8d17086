"""Admin URLs and menu items of bookings."""
