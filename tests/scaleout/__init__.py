"""Scale-out: several app processes on one PostgreSQL and one Redis (docs/deployment.md)."""
