"""Flask extensions, created unbound and initialised in :func:`portal.create_app`."""

from flask_babel import Babel
from flask_compress import Compress
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
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
#: Registered first, so that its after_request runs last (on the final body): see core/http_cache.py.
compress = Compress()
login_manager = LoginManager()
#: Limits are declared on the views; storage from RATELIMIT_STORAGE_URI (memory:// or redis://).
#: IP addresses live only in the limiter's storage, never in the database.
limiter = Limiter(key_func=get_remote_address)
