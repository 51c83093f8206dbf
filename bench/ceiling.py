"""The framework's ceiling: a bare Flask app rendering a trivial Jinja template.

bench/run.py serves it with the same gunicorn settings as the portal (``gunicorn --workers
WORKERS ... bench.ceiling:app``) and measures it in the same run; every page's throughput is
reported as a share of this one.
"""

from __future__ import annotations

from pathlib import Path

from flask import Flask
from flask import render_template

app = Flask(__name__, template_folder=str(Path(__file__).resolve().parent / "templates"))


@app.get("/")
def index() -> str:
    return render_template("ceiling.html", title="Ceiling", items=range(10))
