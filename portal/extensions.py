"""Flask extensions, created unbound and initialised in :func:`portal.create_app`."""

from flask_babel import Babel
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect

from portal.core.db import Base

# create_savepoint: when the test harness binds the session to a connection that is already in a
# transaction, a request's commit releases a savepoint instead of ending the outer transaction.
# Bound to an engine (production) the option has no effect.
db = SQLAlchemy(model_class=Base, session_options={"join_transaction_mode": "create_savepoint"})
migrate = Migrate()
csrf = CSRFProtect()
babel = Babel()
