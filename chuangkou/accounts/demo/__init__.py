"""Demo citizens, an enterprise, reminders and subscriptions (load_accounts_demo)."""
