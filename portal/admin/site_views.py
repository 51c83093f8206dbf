"""Administration of the organisation and the site: municipalities, departments, settings, audit log."""

from __future__ import annotations

from typing import Any

from flask import abort
from flask import flash
from flask import redirect
from flask import render_template
from flask import request
from flask import url_for
from flask_login import current_user

from portal.admin import bp
from portal.admin import queries
from portal.admin import services
from portal.admin.forms import AuditFilterForm
from portal.admin.forms import DepartmentForm
from portal.admin.forms import MunicipalityForm
from portal.admin.forms import SettingsForm
from portal.admin.forms import fill_translations
from portal.admin.forms import lines
from portal.admin.forms import postcodes
from portal.admin.forms import translations
from portal.core.i18n import _
from portal.core.permissions import require
from portal.core.settings import get_setting
from portal.extensions import db
from portal.organisations.models import Department
from portal.organisations.models import Municipality
from portal.organisations.models import MunicipalityKind


def _actor():  # type: ignore[no-untyped-def]
    return current_user._get_current_object()


def _status() -> int:
    return 422 if request.method == "POST" else 200


# --- municipalities -------------------------------------------------------------------------


@bp.get("/verwaltung/gemeinden")
def municipalities():  # type: ignore[no-untyped-def]
    """The district's municipalities with postcodes and inhabitants."""
    require("admin.municipalities")
    return render_template("admin/municipalities.html", municipalities=queries.municipalities())


@bp.route("/verwaltung/gemeinden/neu", methods=["GET", "POST"], defaults={"municipality_id": None})
@bp.route("/verwaltung/gemeinden/<int:municipality_id>", methods=["GET", "POST"])
def municipality_form(municipality_id: int | None):  # type: ignore[no-untyped-def]
    """A new municipality or a change."""
    require("admin.municipalities")
    municipality = db.session.get(Municipality, municipality_id) if municipality_id is not None else None
    if municipality_id is not None and municipality is None:
        abort(404)
    form = MunicipalityForm()
    if request.method == "GET" and municipality is not None:
        form.name.data = municipality.name
        form.kind.data = municipality.kind.value
        form.postcodes.data = ", ".join(municipality.postcodes or [])
        form.inhabitants.data = municipality.inhabitants
        form.inhabitants_date.data = municipality.inhabitants_date
        form.inhabitants_note.data = municipality.inhabitants_note or ""
        form.members.data = "\n".join(municipality.members or [])
    elif form.validate_on_submit():
        services.save_municipality(
            municipality,
            services.MunicipalityData(
                name=form.name.data or "",
                kind=MunicipalityKind(form.kind.data),
                postcodes=postcodes(form.postcodes.data) or [],
                inhabitants=form.inhabitants.data,
                inhabitants_date=form.inhabitants_date.data,
                inhabitants_note=(form.inhabitants_note.data or "").strip() or None,
                members=lines(form.members.data),
            ),
            _actor(),
        )
        db.session.commit()
        flash(_("The municipality has been saved."), "success")
        return redirect(url_for("admin.municipalities"), 303)
    return render_template("admin/municipality_form.html", form=form, municipality=municipality), _status()


# --- departments ----------------------------------------------------------------------------


@bp.get("/verwaltung/geschaeftsbereiche")
def departments():  # type: ignore[no-untyped-def]
    """The departments of the district administration."""
    require("admin.departments")
    return render_template("admin/departments.html", departments=queries.departments())


@bp.route("/verwaltung/geschaeftsbereiche/neu", methods=["GET", "POST"], defaults={"department_id": None})
@bp.route("/verwaltung/geschaeftsbereiche/<int:department_id>", methods=["GET", "POST"])
def department_form(department_id: int | None):  # type: ignore[no-untyped-def]
    """A new department or a change."""
    require("admin.departments")
    department = db.session.get(Department, department_id) if department_id is not None else None
    if department_id is not None and department is None:
        abort(404)
    form = DepartmentForm()
    if request.method == "GET" and department is not None:
        fill_translations(form, "name", department.name)
        form.position.data = department.position
        form.demo.data = department.demo
    elif form.validate_on_submit():
        services.save_department(
            department, translations(form, "name"), form.position.data, bool(form.demo.data), _actor()
        )
        db.session.commit()
        flash(_("The department has been saved."), "success")
        return redirect(url_for("admin.departments"), 303)
    return render_template("admin/department_form.html", form=form, department=department), _status()


# --- settings -------------------------------------------------------------------------------


def _setting_keys() -> dict[str, tuple[str, Any]]:
    """Form field → (setting key, default), with the keys the owning domains read."""
    from portal.comments.permissions import DEFAULT_EDIT_WINDOW
    from portal.comments.permissions import EDIT_WINDOW
    from portal.flags.services import DEFAULT_HIDE_THRESHOLD
    from portal.flags.services import HIDE_THRESHOLD
    from portal.priorities.queries import MAX_PER_SUBGOAL
    from portal.priorities.queries import POINTS_PER_BALLOT
    from portal.priorities.queries import RESULTS_LIVE
    from portal.priorities.queries import BallotRules
    from portal.proposals.permissions import REQUIRE_RESIDENCE
    from portal.proposals.services import MODERATION_MODE
    from portal.proposals.services import ModerationMode
    from portal.statements.services import DEFAULT_REMINDER_DAYS
    from portal.statements.services import REMINDER_DAYS

    rules = BallotRules()
    return {
        "moderation_mode": (MODERATION_MODE, ModerationMode.POST.value),
        "hide_threshold": (HIDE_THRESHOLD, DEFAULT_HIDE_THRESHOLD),
        "require_residence": (REQUIRE_RESIDENCE, False),
        "points_per_ballot": (POINTS_PER_BALLOT, rules.points_per_ballot),
        "max_per_subgoal": (MAX_PER_SUBGOAL, rules.max_per_subgoal),
        "results_live": (RESULTS_LIVE, rules.results_live),
        "edit_window": (EDIT_WINDOW, DEFAULT_EDIT_WINDOW),
        "reminder_days": (REMINDER_DAYS, DEFAULT_REMINDER_DAYS),
    }


@bp.route("/verwaltung/einstellungen", methods=["GET", "POST"])
def settings():  # type: ignore[no-untyped-def]
    """Moderation mode, report threshold, support and prioritisation rules, and more."""
    require("admin.settings")
    keys = _setting_keys()
    form = SettingsForm()
    form.moderation_mode.choices = [
        ("post", _("Post-moderation: new proposals are public at once")),
        ("pre", _("Pre-moderation: new proposals are public once a moderator has published them")),
    ]
    if request.method == "GET":
        for name, (key, default) in keys.items():
            getattr(form, name).data = get_setting(key, default)
    elif form.validate_on_submit():
        values = {key: getattr(form, name).data for name, (key, _default) in keys.items()}
        for name in ("require_residence", "results_live"):
            values[keys[name][0]] = bool(getattr(form, name).data)
        changed = services.save_settings(values, {key: default for key, default in keys.values()}, _actor())
        db.session.commit()
        flash(
            _("The settings have been saved.") if changed else _("Nothing was changed."),
            "success" if changed else "info",
        )
        return redirect(url_for("admin.settings"), 303)
    return render_template("admin/settings.html", form=form), _status()


# --- audit log ------------------------------------------------------------------------------


@bp.get("/verwaltung/protokoll")
def audit_log():  # type: ignore[no-untyped-def]
    """Every moderator and admin action: who, when, what, why; filterable, newest first."""
    require("admin.audit_log")
    form = AuditFilterForm(formdata=request.args)
    actions = queries.audit_actions()
    form.aktion.choices = [("", _("All actions"))] + [(action, action) for action in actions]
    form.validate()
    filters = queries.AuditFilters(
        action=form.aktion.data if form.aktion.data in actions else "",
        person=(form.person.data or "").strip()[:100],
        since=form.von.data if not form.von.errors else None,
        until=form.bis.data if not form.bis.errors else None,
    )
    page_text = request.args.get("seite", "1")
    page = queries.audit_log(filters, int(page_text) if page_text.isdigit() and len(page_text) < 7 else 1)
    args = {
        key: value
        for key, value in request.args.items()
        if value and key in ("aktion", "person", "von", "bis")
    }
    return render_template("admin/audit_log.html", form=form, page=page, args=args)
