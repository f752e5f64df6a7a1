"""Staff accounts: users, passwords (Argon2id), MFA, sessions, throttling, re-authentication."""
