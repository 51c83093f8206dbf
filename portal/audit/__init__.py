"""Audit log: every moderator and admin action, and every staff sign-in."""
