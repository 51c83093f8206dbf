"""WSGI entry point for production servers: ``gunicorn portal.wsgi:app``."""

from config import ProductionConfig
from portal import create_app

app = create_app(ProductionConfig)
