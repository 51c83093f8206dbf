"""WSGI entry points for production servers.

- ``gunicorn portal.wsgi:app``: clients talk to gunicorn directly (``make serve``, the benchmark).
- ``gunicorn portal.wsgi:behind_proxy``: behind exactly one reverse proxy (nginx) that sets
  ``X-Forwarded-For`` and ``X-Forwarded-Proto``. The client's address (rate limits are kept per
  address) and the scheme are taken from the proxy's last entry; without this every visitor
  would share the proxy's address and its limits. Only for a server that nothing but the proxy
  can reach: a client talking to it directly could choose its own address (docs/deployment.md).
"""

from werkzeug.middleware.proxy_fix import ProxyFix

from config import ProductionConfig
from portal import create_app

app = create_app(ProductionConfig)
behind_proxy = ProxyFix(app, x_for=1, x_proto=1)
