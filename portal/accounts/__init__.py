"""Accounts: users, roles, sign-in, e-mail verification, privacy self-service."""
