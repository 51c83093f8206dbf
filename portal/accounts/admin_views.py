"""User administration: list and search, invitations, roles, the staff two-factor setting."""

from __future__ import annotations

from flask import abort
from flask import flash
from flask import redirect
from flask import render_template
from flask import request
from flask import url_for
from flask_login import current_user

from portal.accounts import bp
from portal.accounts import queries
from portal.accounts import services
from portal.accounts.forms import EmptyForm
from portal.accounts.forms import GrantRoleForm
from portal.accounts.forms import InviteForm
from portal.accounts.forms import StaffTotpSettingForm
from portal.accounts.models import ROLE_LABELS
from portal.accounts.models import Role
from portal.accounts.services import AccountError
from portal.core.i18n import _
from portal.core.permissions import require
from portal.extensions import db


@bp.get("/verwaltung/benutzer")
def admin_users():  # type: ignore[no-untyped-def]
    """All accounts, searchable by name or address, filterable by role, paginated."""
    require("accounts.manage_users")
    query = request.args.get("q", "").strip()[:100]
    role = request.args.get("rolle", "")
    page = request.args.get("seite", 1, type=int) or 1
    pagination = queries.search_users(query, role, max(page, 1))
    setting_form = StaffTotpSettingForm(require_staff_totp=services.require_staff_totp())
    return render_template(
        "accounts/admin/users.html",
        pagination=pagination,
        query=query,
        role=role,
        roles=[(r.value, str(ROLE_LABELS[r])) for r in Role],
        setting_form=setting_form,
        municipality_names=queries.municipality_names(),
    )


@bp.post("/verwaltung/benutzer/zwei-faktor-pflicht")
def admin_staff_totp():  # type: ignore[no-untyped-def]
    """Require (or stop requiring) two-factor sign-in for every staff account."""
    require("accounts.manage_users")
    form = StaffTotpSettingForm()
    if form.validate_on_submit():
        services.set_require_staff_totp(
            bool(form.require_staff_totp.data), current_user._get_current_object()
        )
        db.session.commit()
        if form.require_staff_totp.data:
            flash(_("Staff accounts must now use two-factor sign-in."), "success")
        else:
            flash(_("Two-factor sign-in is now optional for staff accounts."), "success")
    return redirect(url_for("accounts.admin_users"))


@bp.route("/verwaltung/benutzer/einladen", methods=["GET", "POST"])
def admin_invite():  # type: ignore[no-untyped-def]
    """Invite a person by e-mail, optionally with a role; they choose their password."""
    require("accounts.manage_users")
    form = InviteForm()
    if form.validate_on_submit():
        try:
            user = services.invite_user(
                email=form.email.data,
                display_name=form.display_name.data,
                language=form.language.data,
                actor=current_user._get_current_object(),
                role=Role(form.role.data) if form.role.data else None,
                municipality_key=form.municipality.data or None,
                department_key=form.department.data or None,
            )
        except AccountError as error:
            form.email.errors.append(str(error))
        else:
            db.session.commit()
            flash(_("The invitation has been sent."), "success")
            return redirect(url_for("accounts.admin_user", user_id=user.id))
    return render_template("accounts/admin/invite.html", form=form)


@bp.route("/verwaltung/benutzer/<int:user_id>", methods=["GET", "POST"])
def admin_user(user_id: int):  # type: ignore[no-untyped-def]
    """One account: its data and roles; grant a role."""
    user = queries.get_user(user_id)
    if user is None:
        require("accounts.manage_users")
        abort(404)
    require("accounts.manage_roles", user)
    form = GrantRoleForm()
    if form.validate_on_submit():
        try:
            services.grant_role(
                user,
                Role(form.role.data),
                actor=current_user._get_current_object(),
                municipality_key=form.municipality.data or None,
                department_key=form.department.data or None,
            )
        except AccountError as error:
            form.role.errors.append(str(error))
        else:
            db.session.commit()
            flash(_("The role has been granted."), "success")
            return redirect(url_for("accounts.admin_user", user_id=user.id))
    return render_template(
        "accounts/admin/user.html",
        user=user,
        form=form,
        withdraw_form=EmptyForm(),
        municipality_names=queries.municipality_names(),
        department_names=queries.department_names(),
    )


@bp.post("/verwaltung/benutzer/<int:user_id>/rollen/<int:assignment_id>/entziehen")
def admin_withdraw_role(user_id: int, assignment_id: int):  # type: ignore[no-untyped-def]
    """Withdraw one role assignment."""
    user = queries.get_user(user_id)
    if user is None:
        require("accounts.manage_users")
        abort(404)
    require("accounts.manage_roles", user)
    form = EmptyForm()
    if form.validate_on_submit():
        try:
            services.withdraw_role(user, assignment_id, actor=current_user._get_current_object())
        except AccountError as error:
            flash(str(error), "danger")
        else:
            db.session.commit()
            flash(_("The role has been withdrawn."), "success")
    return redirect(url_for("accounts.admin_user", user_id=user.id))
