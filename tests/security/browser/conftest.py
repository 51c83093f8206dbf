"""The browser harness of tests/browser (live server on a file SQLite database, Debian chromium),
reused for the in-browser XSS check."""

from tests.browser.conftest import _browser_tools  # noqa: F401
from tests.browser.conftest import base_url  # noqa: F401
from tests.browser.conftest import browser_context_args  # noqa: F401
from tests.browser.conftest import browser_type_launch_args  # noqa: F401
from tests.browser.conftest import live_app  # noqa: F401
from tests.browser.conftest import live_server  # noqa: F401
