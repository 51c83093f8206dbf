"""Account pages: registration, sign-in, passwords, e-mail, two-factor, data export, deletion."""

from __future__ import annotations

import json

from flask import Response
from flask import flash
from flask import redirect
from flask import render_template
from flask import request
from flask import session
from flask import url_for
from flask_limiter.util import get_remote_address
from flask_login import current_user

from portal.accounts import bp
from portal.accounts import queries
from portal.accounts import services
from portal.accounts import sessions
from portal.accounts.forms import DeleteAccountForm
from portal.accounts.forms import EmailChangeForm
from portal.accounts.forms import EmptyForm
from portal.accounts.forms import ForgotPasswordForm
from portal.accounts.forms import InvitationForm
from portal.accounts.forms import LoginForm
from portal.accounts.forms import PasswordChangeForm
from portal.accounts.forms import ProfileForm
from portal.accounts.forms import RegistrationForm
from portal.accounts.forms import ResetPasswordForm
from portal.accounts.forms import TotpDisableForm
from portal.accounts.forms import TotpLoginForm
from portal.accounts.forms import TotpSetupForm
from portal.accounts.models import User
from portal.accounts.privacy import DeletionMode
from portal.accounts.services import AccountError
from portal.accounts.tokens import TokenError
from portal.core.i18n import _
from portal.core.i18n import current_language
from portal.core.permissions import require
from portal.extensions import db
from portal.extensions import limiter

# --- rate limits (Flask-Limiter; storage from RATELIMIT_STORAGE_URI) ----------------------------
# Per IP address and per account; sign-in attempts count only when they fail.
LOGIN_LIMIT = "10/minute;50/hour"
SECOND_FACTOR_LIMIT = "5/minute;20/hour"
REGISTRATION_LIMIT = "5/minute;30/hour"
MAIL_PER_ADDRESS_LIMIT = "3/hour"
RESET_LIMIT = "5/minute;30/hour"
ACCOUNT_MAIL_LIMIT = "5/hour"


def _email_key() -> str:
    return "address:" + queries.normalise_email(request.form.get("email"))


def _user_key() -> str:
    if current_user.is_authenticated:
        return f"user:{current_user.id}"
    return get_remote_address()


def _pending_key() -> str:
    pending = session.get(sessions.PENDING_KEY)
    return f"pending:{pending.get('u')}" if isinstance(pending, dict) else get_remote_address()


def _failed(response: Response) -> bool:
    """A sign-in attempt that did not get through (the form is shown again)."""
    return response.status_code == 200


@bp.after_request
def _no_store(response: Response) -> Response:
    """Account pages hold personal data: no caching anywhere."""
    response.headers["Cache-Control"] = "no-store"
    return response


bp.before_app_request(sessions.check_session)


def _token_problem(error: TokenError) -> str:
    if error.reason == "expired":
        return _("This link has expired. Please request a new one.")
    if error.reason == "used":
        return _("This link has already been used or is no longer valid.")
    return _("This link is not valid. Please check that you copied it completely.")


def _link_invalid(error: TokenError, again_endpoint: str | None = None):  # type: ignore[no-untyped-def]
    return (
        render_template(
            "accounts/link_invalid.html", message=_token_problem(error), again_endpoint=again_endpoint
        ),
        400,
    )


# --- registration -------------------------------------------------------------------------------


@bp.route("/registrieren", methods=["GET", "POST"])
@limiter.limit(REGISTRATION_LIMIT, methods=["POST"])
@limiter.limit(MAIL_PER_ADDRESS_LIMIT, key_func=_email_key, methods=["POST"], scope="address-mail")
def register():  # type: ignore[no-untyped-def]
    """Create an account; the same answer whether or not the address is known."""
    if current_user.is_authenticated:
        return redirect(url_for("accounts.account"))
    form = RegistrationForm()
    form.load_municipalities()
    if request.method == "GET":
        form.language.data = current_language()
    if form.validate_on_submit():
        services.register(
            email=form.email.data,
            password=form.password.data,
            display_name=form.display_name.data,
            language=form.language.data,
            municipality_key=form.municipality.data or None,
        )
        db.session.commit()
        return redirect(url_for("accounts.check_mail", reason="registered"), code=303)
    return render_template("accounts/register.html", form=form)


@bp.get("/e-mail-gesendet")
def check_mail():  # type: ignore[no-untyped-def]
    """ "Look into your mailbox" after registration or a reset request."""
    reason = request.args.get("reason", "")
    if reason not in ("registered", "reset"):
        reason = "registered"
    return render_template("accounts/check_mail.html", reason=reason)


@bp.get("/bestaetigen/<token>")
def verify(token: str):  # type: ignore[no-untyped-def]
    """The link from the verification mail."""
    try:
        services.verify_email(token)
    except TokenError as error:
        return _link_invalid(error, "accounts.account" if current_user.is_authenticated else "accounts.login")
    db.session.commit()
    flash(_("Thank you, your e-mail address is confirmed. You can now take part."), "success")
    return redirect(url_for("accounts.account" if current_user.is_authenticated else "accounts.login"))


@bp.post("/konto/bestaetigung-senden")
@limiter.limit(MAIL_PER_ADDRESS_LIMIT, key_func=_user_key)
def resend_verification():  # type: ignore[no-untyped-def]
    """Send the verification link again."""
    require("accounts.view_own")
    form = EmptyForm()
    if form.validate_on_submit() and not current_user.is_verified:
        services.send_verification(current_user)
        db.session.commit()
        flash(_("We have sent you a new confirmation link."), "success")
    return redirect(url_for("accounts.account"))


# --- signing in and out ---------------------------------------------------------------------------


@bp.route("/anmelden", methods=["GET", "POST"])
@limiter.limit(LOGIN_LIMIT, methods=["POST"], deduct_when=_failed)
@limiter.limit(LOGIN_LIMIT, key_func=_email_key, methods=["POST"], deduct_when=_failed, scope="login-account")
def login():  # type: ignore[no-untyped-def]
    """Sign in with address and password (then the code, if two-factor sign-in is on)."""
    if current_user.is_authenticated:
        return redirect(sessions.safe_next(request.args.get("next")) or url_for("accounts.account"))
    form = LoginForm()
    if request.method == "GET":
        form.next.data = sessions.safe_next(request.args.get("next")) or ""
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data)
        db.session.commit()  # a failed staff sign-in is an audit event
        if user is None:
            form.form_errors.append(_("The e-mail address or the password is not correct."))
        else:
            next_url = sessions.safe_next(form.next.data)
            if user.totp_enabled:
                sessions.begin_second_factor(user, remember=bool(form.remember.data), next_url=next_url)
                return redirect(url_for("accounts.login_second_factor"))
            return _complete_login(
                user, remember=bool(form.remember.data), next_url=next_url, two_factor=False
            )
    return render_template("accounts/login.html", form=form)


def _complete_login(user: User, *, remember: bool, next_url: str | None, two_factor: bool):  # type: ignore[no-untyped-def]
    sessions.start_session(user, remember=remember)
    services.record_login(user, two_factor=two_factor)
    db.session.commit()
    if remember and user.is_staff:
        flash(_("Staff accounts are not kept signed in on a device."), "info")
    flash(_("You are signed in."), "success")
    if services.needs_totp_setup(user):
        return redirect(url_for("accounts.two_factor"))
    return redirect(next_url or url_for("accounts.account"))


@bp.route("/anmelden/zwei-faktor", methods=["GET", "POST"])
@limiter.limit(SECOND_FACTOR_LIMIT, methods=["POST"], deduct_when=_failed)
@limiter.limit(
    SECOND_FACTOR_LIMIT, key_func=_pending_key, methods=["POST"], deduct_when=_failed, scope="totp"
)
def login_second_factor():  # type: ignore[no-untyped-def]
    """Second step of a two-factor sign-in: the code from the authenticator app."""
    pending = sessions.pending_second_factor()
    user = db.session.get(User, pending["u"]) if pending else None
    if pending is None or user is None or user.session_version != pending.get("v") or not user.totp_enabled:
        flash(_("Please sign in again."), "info")
        return redirect(url_for("accounts.login"))
    form = TotpLoginForm()
    if form.validate_on_submit():
        if services.check_totp(user, form.code.data):
            return _complete_login(
                user,
                remember=bool(pending.get("r")),
                next_url=sessions.safe_next(pending.get("n")),
                two_factor=True,
            )
        form.code.errors.append(_("The code is not correct. Check the time on your device and try again."))
    return render_template("accounts/login_totp.html", form=form)


@bp.post("/abmelden")
def logout():  # type: ignore[no-untyped-def]
    """Sign out; the session version goes up, so every copy of the session ends, everywhere."""
    form = EmptyForm()
    if form.validate_on_submit() and current_user.is_authenticated:
        services.end_all_sessions(current_user)
        db.session.commit()
    sessions.end_session()
    flash(_("You are signed out."), "success")
    return redirect(url_for("strategy.home"))


# --- passwords ------------------------------------------------------------------------------------------


@bp.route("/passwort-vergessen", methods=["GET", "POST"])
@limiter.limit(RESET_LIMIT, methods=["POST"])
@limiter.limit(MAIL_PER_ADDRESS_LIMIT, key_func=_email_key, methods=["POST"], scope="address-mail")
def forgot_password():  # type: ignore[no-untyped-def]
    """Ask for a reset link; the same answer whether or not the address is known."""
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        services.request_password_reset(form.email.data)
        db.session.commit()
        return redirect(url_for("accounts.check_mail", reason="reset"), code=303)
    return render_template("accounts/forgot_password.html", form=form)


@bp.route("/passwort-neu/<token>", methods=["GET", "POST"])
@limiter.limit(RESET_LIMIT, methods=["POST"])
def reset_password(token: str):  # type: ignore[no-untyped-def]
    """Choose a new password from the link in the reset mail."""
    from portal.accounts.tokens import Purpose
    from portal.accounts.tokens import check_token

    try:
        user = check_token(token, Purpose.RESET).user
    except TokenError as error:
        return _link_invalid(error, "accounts.forgot_password")
    form = ResetPasswordForm(email=user.email)
    if form.validate_on_submit():
        try:
            services.reset_password(token, form.password.data)
        except TokenError as error:
            return _link_invalid(error, "accounts.forgot_password")
        db.session.commit()
        if current_user.is_authenticated:
            sessions.end_session()
        flash(_("Your new password is saved. Please sign in with it."), "success")
        return redirect(url_for("accounts.login"))
    return render_template("accounts/reset_password.html", form=form, username=user.email)


@bp.route("/einladung/<token>", methods=["GET", "POST"])
@limiter.limit(RESET_LIMIT, methods=["POST"])
def accept_invitation(token: str):  # type: ignore[no-untyped-def]
    """An invited person chooses a password and accepts the privacy notice."""
    from portal.accounts.tokens import Purpose
    from portal.accounts.tokens import check_token

    try:
        user = check_token(token, Purpose.INVITE).user
    except TokenError as error:
        return _link_invalid(error, "accounts.forgot_password")
    form = InvitationForm(email=user.email)
    if form.validate_on_submit():
        services.accept_invitation(token, form.password.data)
        db.session.commit()
        if current_user.is_authenticated:
            sessions.end_session()
        flash(_("Your password is saved. Please sign in with it."), "success")
        return redirect(url_for("accounts.login"))
    return render_template("accounts/invitation.html", form=form, invited=user, username=user.email)


# --- the own account -----------------------------------------------------------------------------------


@bp.route("/konto", methods=["GET", "POST"])
def account():  # type: ignore[no-untyped-def]
    """The own account: profile (name, language, municipality) and the ways to everything else."""
    require("accounts.view_own")
    form = ProfileForm(obj=None)
    form.load_municipalities()
    if request.method == "GET":
        form.display_name.data = current_user.display_name
        form.language.data = current_user.language
        form.municipality.data = _municipality_key(current_user.municipality_id)
    elif form.validate_on_submit():
        require("accounts.edit_own")
        services.update_profile(
            current_user,
            display_name=form.display_name.data,
            language=form.language.data,
            municipality_key=form.municipality.data or None,
        )
        db.session.commit()
        flash(_("Your profile is saved."), "success")
        return redirect(url_for("accounts.account"))
    return render_template(
        "accounts/account.html",
        form=form,
        resend_form=EmptyForm(),
        municipality_names=queries.municipality_names(),
    )


def _municipality_key(municipality_id: int | None) -> str:
    if municipality_id is None:
        return ""
    from portal.organisations.models import Municipality

    municipality = db.session.get(Municipality, municipality_id)
    return municipality.key if municipality else ""


def _show_error(form, error: AccountError) -> None:  # type: ignore[no-untyped-def]
    """Put a refused request's message next to its field (or above the form)."""
    field = getattr(form, error.field, None) if error.field else None
    if field is not None:
        field.errors = [*field.errors, str(error)]
    else:
        form.form_errors.append(str(error))


@bp.route("/konto/e-mail", methods=["GET", "POST"])
@limiter.limit(ACCOUNT_MAIL_LIMIT, key_func=_user_key, methods=["POST"])
def change_email():  # type: ignore[no-untyped-def]
    """Change the address: confirmed through a link to the new one, the old one is told."""
    require("accounts.edit_own")
    form = EmailChangeForm()
    if form.validate_on_submit():
        try:
            services.request_email_change(current_user, form.new_email.data, form.password.data)
        except AccountError as error:
            _show_error(form, error)
        else:
            db.session.commit()
            message = _(
                "We have sent a confirmation link to the new address. "
                "The change takes effect when you open it."
            )
            flash(message, "success")
            return redirect(url_for("accounts.account"))
    return render_template("accounts/change_email.html", form=form)


@bp.get("/konto/e-mail/<token>")
def confirm_email_change(token: str):  # type: ignore[no-untyped-def]
    """The link from the confirmation mail to the new address."""
    try:
        services.confirm_email_change(token)
    except TokenError as error:
        return _link_invalid(error, "accounts.change_email")
    except AccountError as error:
        return render_template("accounts/link_invalid.html", message=str(error), again_endpoint=None), 400
    db.session.commit()
    flash(_("Your new e-mail address is confirmed."), "success")
    return redirect(url_for("accounts.account" if current_user.is_authenticated else "accounts.login"))


@bp.route("/konto/passwort", methods=["GET", "POST"])
def change_password():  # type: ignore[no-untyped-def]
    """Change the password; other sessions of the account end, this one continues."""
    require("accounts.edit_own")
    form = PasswordChangeForm(email=current_user.email)
    if form.validate_on_submit():
        try:
            services.change_password(current_user, form.current_password.data, form.password.data)
        except AccountError as error:
            form.current_password.errors.append(str(error))
        else:
            db.session.commit()
            sessions.start_session(current_user._get_current_object(), remember=session.permanent)
            flash(_("Your new password is saved. You were signed out on all other devices."), "success")
            return redirect(url_for("accounts.account"))
    return render_template("accounts/change_password.html", form=form)


TOTP_SECRET_KEY = "_totp_setup"  # noqa: S105  # nosec B105 - a session key, not a secret


@bp.route("/konto/zwei-faktor", methods=["GET", "POST"])
def two_factor():  # type: ignore[no-untyped-def]
    """Switch two-factor sign-in on: scan the QR code, confirm with the first code."""
    require("accounts.edit_own")
    user = current_user._get_current_object()
    if user.totp_enabled:
        return render_template(
            "accounts/two_factor.html",
            enabled=True,
            disable_form=TotpDisableForm(),
            required=services.needs_totp_for(user),
        )
    secret = session.get(TOTP_SECRET_KEY)
    if not isinstance(secret, str):
        secret = session[TOTP_SECRET_KEY] = services.new_totp_secret()
    form = TotpSetupForm()
    if form.validate_on_submit():
        try:
            services.enable_totp(user, secret, form.code.data)
        except AccountError as error:
            form.code.errors.append(str(error))
        else:
            db.session.commit()
            session.pop(TOTP_SECRET_KEY, None)
            flash(
                _("Two-factor sign-in is on. From now on you will be asked for a code when you sign in."),
                "success",
            )
            return redirect(url_for("accounts.account"))
    uri = services.totp_provisioning_uri(user, secret)
    return render_template(
        "accounts/two_factor.html",
        enabled=False,
        form=form,
        secret=secret,
        qr_code=services.qr_code_data_uri(uri),
        required=services.needs_totp_for(user),
    )


@bp.post("/konto/zwei-faktor/aus")
def two_factor_off():  # type: ignore[no-untyped-def]
    """Switch two-factor sign-in off (password and a current code)."""
    require("accounts.edit_own")
    user = current_user._get_current_object()
    form = TotpDisableForm()
    if form.validate_on_submit():
        try:
            services.disable_totp(user, form.password.data, form.code.data)
        except AccountError as error:
            _show_error(form, error)
        else:
            db.session.commit()
            flash(_("Two-factor sign-in is off."), "success")
            return redirect(url_for("accounts.account"))
    db.session.commit()  # a code used in a failed attempt stays used
    return render_template(
        "accounts/two_factor.html", enabled=True, disable_form=form, required=services.needs_totp_for(user)
    )


# --- DSGVO: export and deletion ---------------------------------------------------------------------------


@bp.get("/konto/daten")
def export():  # type: ignore[no-untyped-def]
    """Everything the portal holds about the signed-in user, as a JSON download (Art. 15/20)."""
    require("accounts.view_own")
    data = services.export_data(current_user._get_current_object())
    body = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False)
    return Response(
        body,
        mimetype="application/json",
        headers={"Content-Disposition": 'attachment; filename="meine-daten.json"'},
    )


@bp.route("/konto/loeschen", methods=["GET", "POST"])
def delete_account():  # type: ignore[no-untyped-def]
    """Delete the account (Art. 17): explained first, contributions anonymised or removed."""
    require("accounts.view_own")
    form = DeleteAccountForm()
    if form.validate_on_submit():
        try:
            services.delete_account(
                current_user._get_current_object(), DeletionMode(form.mode.data), form.password.data
            )
        except AccountError as error:
            _show_error(form, error)
        else:
            db.session.commit()
            sessions.end_session()
            flash(_("Your account has been deleted. Thank you for taking part."), "success")
            return redirect(url_for("strategy.home"))
    return render_template("accounts/delete.html", form=form)
