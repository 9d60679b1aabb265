"""Access: staff users and roles, shopper credentials, API clients, sessions, audit (INT4)."""
