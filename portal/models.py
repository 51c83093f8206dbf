"""Imports every model module, so the metadata Alembic compares against is complete."""

from portal.accounts.models import RoleAssignment  # noqa: F401
from portal.accounts.models import User  # noqa: F401
from portal.audit.models import AuditEvent  # noqa: F401
from portal.mail.models import OutboxMessage  # noqa: F401
from portal.organisations.models import Department  # noqa: F401
from portal.organisations.models import Municipality  # noqa: F401
from portal.process.models import Milestone  # noqa: F401
from portal.process.models import Phase  # noqa: F401
from portal.strategy.models import FocusArea  # noqa: F401
from portal.strategy.models import Goal  # noqa: F401
from portal.strategy.models import Strategy  # noqa: F401
from portal.strategy.models import SubGoal  # noqa: F401
