"""The notification settings page."""

from __future__ import annotations

from typing import Any

from flask import flash
from flask import redirect
from flask import render_template
from flask import url_for
from flask_login import current_user

from portal.core.i18n import _
from portal.core.permissions import require
from portal.extensions import db
from portal.notifications import bp
from portal.notifications import services
from portal.notifications.forms import PreferencesForm
from portal.notifications.models import NotificationKind
from portal.strategy import queries as strategy_queries


@bp.route("/benachrichtigungen", methods=["GET", "POST"])
def preferences() -> Any:
    """Choose per kind: immediately, a daily summary, or never."""
    require("notifications.manage")
    current = services.preferences(current_user.id)
    form = PreferencesForm(data={kind.value: frequency.value for kind, frequency in current.items()})
    if form.validate_on_submit():
        services.set_preferences(current_user.id, form.choices())
        db.session.commit()
        flash(_("Your notification settings have been saved."), "success")
        return redirect(url_for("notifications.preferences"), 303)
    return render_template(
        "notifications/preferences.html",
        strategy=strategy_queries.get_strategy(),
        form=form,
        kinds=list(NotificationKind),
    )
