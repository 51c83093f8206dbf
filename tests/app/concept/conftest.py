"""The measures fixtures serve the concept tests too."""

from tests.app.measures.conftest import _quick_password_hashing  # noqa: F401
from tests.app.measures.conftest import ids  # noqa: F401
from tests.app.measures.conftest import make_measure  # noqa: F401
from tests.app.measures.conftest import moderator  # noqa: F401
