"""Cross-cutting pieces: database base class, clock, i18n helpers, errors, health."""
