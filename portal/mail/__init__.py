"""E-mail through an outbox: written in the transaction of the change, delivered by send-mail."""
