"""The back-office fixtures (tests/app/moderation/conftest.py)."""

from tests.app.moderation.conftest import _isolated  # noqa: F401
from tests.app.moderation.conftest import make_comment  # noqa: F401
from tests.app.moderation.conftest import make_proposal  # noqa: F401
from tests.app.moderation.conftest import make_user  # noqa: F401
from tests.app.moderation.conftest import people  # noqa: F401
