"""The WSGI app the fault tests run in a real server process (``gunicorn tests.faults.server:app``).

It is the production app (``ProductionConfig``, configured from the environment) with rate limits
switched off, so that a burst of writes by one person is not cut short by a 429. Test code only.
"""

from config import ProductionConfig
from portal import create_app

app = create_app(ProductionConfig, overrides={"RATELIMIT_ENABLED": False})
