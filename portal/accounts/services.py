"""Writes for accounts: registration, verification, passwords, e-mail, TOTP, roles, deletion.

Services flush and never commit; the view commits once. Mail goes through the outbox in the
same transaction (portal.mail.services.queue_mail), in the recipient's language.
"""

from __future__ import annotations

import hmac
import time
from typing import Any

import pyotp
import segno
from flask import current_app
from flask import has_request_context
from flask import url_for
from sqlalchemy import delete
from sqlalchemy import or_
from sqlalchemy import select

from portal.accounts import privacy
from portal.accounts import queries
from portal.accounts.models import STAFF_ROLES
from portal.accounts.models import Role
from portal.accounts.models import RoleAssignment
from portal.accounts.models import User
from portal.accounts.passwords import hash_password
from portal.accounts.passwords import needs_rehash
from portal.accounts.passwords import verify_password
from portal.accounts.tokens import Purpose
from portal.accounts.tokens import check_token
from portal.accounts.tokens import make_token
from portal.audit.models import AuditEvent
from portal.audit.services import record
from portal.core import clock
from portal.core import settings
from portal.core.i18n import _
from portal.extensions import db
from portal.mail.models import OutboxMessage
from portal.mail.services import queue_mail

#: Setting: every staff account must sign in with a second factor.
REQUIRE_STAFF_TOTP = "accounts.require_staff_totp"
TOTP_ISSUER_FALLBACK = "Beteiligungsportal"


class AccountError(Exception):
    """A request the service refuses; the message is translated and meant for the user.

    ``field`` names the form field the message belongs next to (None: the whole form).
    """

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


# --- helpers ----------------------------------------------------------------------------------


def external_url(endpoint: str, **values: Any) -> str:
    """Absolute URL on PORTAL_BASE_URL, for links in e-mails (works outside requests too)."""
    base = current_app.config["PORTAL_BASE_URL"].rstrip("/")
    if has_request_context():
        return base + url_for(endpoint, **values)
    with current_app.test_request_context("/"):
        return base + url_for(endpoint, **values)


def _mail(user: User, template: str, *, to: str | None = None, **context: Any) -> None:
    queue_mail(to or user.email, template, language=user.language, user=user, **context)


def require_staff_totp() -> bool:
    """Whether admins require a second factor for every staff account."""
    return settings.get_setting(REQUIRE_STAFF_TOTP, False) is True


def set_require_staff_totp(value: bool, actor: User) -> None:
    """Require (or stop requiring) TOTP for staff accounts; audited."""
    settings.set_setting(REQUIRE_STAFF_TOTP, bool(value), actor)


def needs_totp_setup(user: User) -> bool:
    """A staff account that must set up two-factor sign-in before doing anything else."""
    return user.is_staff and not user.totp_enabled and require_staff_totp()


def current_privacy_version() -> int | None:
    """The version of the privacy notice a registration accepts (None before it exists)."""
    from portal.pages.queries import page_version

    return page_version("datenschutz")


# --- registration and verification ----------------------------------------------------------


def register(
    *,
    email: str,
    password: str,
    display_name: str,
    language: str,
    municipality_key: str | None = None,
) -> User | None:
    """Create an unverified account and send the verification link.

    For an address that already has an account nothing changes; the address gets a "you
    already have an account" mail instead, so the answer on the page is the same either way.
    """
    address = queries.normalise_email(email)
    existing = queries.find_user_by_email(address)
    password_hash = hash_password(password)  # spent in both cases: the timing tells nothing
    if existing is not None:
        verify_link = None
        if not existing.is_verified:
            verify_link = external_url(
                "accounts.verify", token=make_token(existing, Purpose.VERIFY), lang=existing.language
            )
        _mail(
            existing,
            "account_exists",
            login_link=external_url("accounts.login", lang=existing.language),
            reset_link=external_url("accounts.forgot_password", lang=existing.language),
            verify_link=verify_link,
        )
        return None
    user = User(
        email=address,
        password_hash=password_hash,
        display_name=display_name,
        language=language,
        municipality_id=queries.municipality_id(municipality_key),
        privacy_version=current_privacy_version(),
        privacy_accepted_at=clock.now(),
    )
    db.session.add(user)
    db.session.flush()
    send_verification(user)
    return user


def send_verification(user: User) -> None:
    """Queue a (new) verification link for an unverified account."""
    if user.is_verified:
        return
    link = external_url("accounts.verify", token=make_token(user, Purpose.VERIFY), lang=user.language)
    _mail(user, "verify_email", link=link)


def verify_email(token: str) -> User:
    """Confirm the address a verification link was sent to; raises TokenError."""
    user = check_token(token, Purpose.VERIFY).user
    user.mark_verified()
    db.session.flush()
    return user


# --- signing in ---------------------------------------------------------------------------------


def authenticate(email: str, password: str) -> User | None:
    """The account if address and password match, else None (same time spent either way)."""
    user = queries.find_user_by_email(email)
    if user is None:
        verify_password(None, password)
        return None
    if not verify_password(user.password_hash, password):
        if user.is_staff:
            record("accounts.staff_login_failed", actor=None, obj=user)
        return None
    if user.password_hash and needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return user


def record_login(user: User, *, two_factor: bool) -> None:
    """Note the sign-in; staff sign-ins are audit events."""
    user.last_login_at = clock.now()
    if user.is_staff:
        record("accounts.staff_login", actor=user, obj=user, two_factor=two_factor)
    db.session.flush()


def end_all_sessions(user: User) -> None:
    """Sign the user out on every device: older session and remember-me cookies stop working."""
    user.session_version = (user.session_version or 1) + 1
    db.session.flush()


# --- passwords ------------------------------------------------------------------------------------


def request_password_reset(email: str) -> None:
    """Send a reset link if the address has an account; nothing happens (visibly) otherwise."""
    user = queries.find_user_by_email(email)
    if user is None:
        return
    link = external_url("accounts.reset_password", token=make_token(user, Purpose.RESET), lang=user.language)
    _mail(user, "password_reset", link=link)


def set_password(user: User, password: str, *, reason: str) -> None:
    """Store a new password, end every other session and tell the owner by mail.

    Following a link from the mailbox proves the address, so it counts as verified.
    """
    user.password_hash = hash_password(password)
    if reason in ("reset", "invitation"):
        user.mark_verified()
    end_all_sessions(user)
    if reason != "invitation":
        _mail(
            user, "password_changed", reset_link=external_url("accounts.forgot_password", lang=user.language)
        )
    record(f"accounts.password_{reason}", actor=user, obj=user)


def change_password(user: User, current: str, new: str) -> None:
    """Change the password after checking the current one."""
    if not verify_password(user.password_hash, current):
        raise AccountError(_("The current password is not correct."), field="current_password")
    set_password(user, new, reason="changed")


def reset_password(token: str, password: str) -> User:
    """Set a password from a reset link; raises TokenError."""
    user = check_token(token, Purpose.RESET).user
    set_password(user, password, reason="reset")
    return user


def accept_invitation(token: str, password: str) -> User:
    """An invited person chooses their password and accepts the privacy notice."""
    user = check_token(token, Purpose.INVITE).user
    user.privacy_version = current_privacy_version()
    user.privacy_accepted_at = clock.now()
    set_password(user, password, reason="invitation")
    return user


# --- profile and e-mail -----------------------------------------------------------------------------


def update_profile(user: User, *, display_name: str, language: str, municipality_key: str | None) -> None:
    """Change the public name, the language of mails and the municipality of residence."""
    user.display_name = display_name
    user.language = language
    user.municipality_id = queries.municipality_id(municipality_key)
    db.session.flush()


def request_email_change(user: User, new_email: str, password: str) -> None:
    """Send a confirmation link to the new address (after checking the password).

    If the new address already belongs to an account, that address gets a notice instead;
    the page answers the same, so the form cannot be used to test addresses.
    """
    if not verify_password(user.password_hash, password):
        raise AccountError(_("The password is not correct."), field="password")
    address = queries.normalise_email(new_email)
    if address == user.email:
        raise AccountError(_("This is already your e-mail address."), field="new_email")
    other = queries.find_user_by_email(address)
    if other is not None:
        _mail(other, "email_change_taken")
        return
    token = make_token(user, Purpose.EMAIL_CHANGE, new_email=address)
    link = external_url("accounts.confirm_email_change", token=token, lang=user.language)
    _mail(user, "email_change", to=address, link=link, new_email=address)


def confirm_email_change(token: str) -> User:
    """Switch to the new address from a confirmation link; the old address is told."""
    verified = check_token(token, Purpose.EMAIL_CHANGE)
    user, address = verified.user, verified.new_email or ""
    if queries.find_user_by_email(address) is not None:
        raise AccountError(_("This e-mail address is already used by another account."), field="new_email")
    old = user.email
    user.email = address
    user.email_verified_at = clock.now()
    _mail(user, "email_changed", to=old, new_email=address)
    record("accounts.email_changed", actor=user, obj=user)
    db.session.flush()
    return user


# --- two-factor sign-in (TOTP) ---------------------------------------------------------------------


def new_totp_secret() -> str:
    """A fresh base32 secret (160 bits)."""
    return pyotp.random_base32(32)


def totp_provisioning_uri(user: User, secret: str) -> str:
    """The otpauth:// URI an authenticator app reads from the QR code."""
    issuer = current_app.config.get("TOTP_ISSUER") or _site_name()
    return pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=issuer)


def _site_name() -> str:
    from portal.strategy.queries import get_strategy

    strategy = get_strategy()
    if strategy is None:
        return TOTP_ISSUER_FALLBACK
    from portal.core.i18n import tr

    return tr(strategy.region_name) or TOTP_ISSUER_FALLBACK


def qr_code_data_uri(text: str) -> str:
    """The QR code of ``text`` as an SVG data: URI (rendered by the portal, no third party)."""
    return segno.make(text, error="m").svg_data_uri(scale=5, border=4, dark="#000", light="#fff")


def _matching_step(secret: str, code: str, last_step: int | None) -> int | None:
    """The time step ``code`` belongs to (now ±30 s), if not used before.

    Authenticator apps run on real time, so this reads the wall clock, not the portal's clock.
    """
    code = "".join(ch for ch in (code or "") if ch.isdigit())
    if len(code) != 6:
        return None
    totp = pyotp.TOTP(secret)
    now = time.time()
    for offset in (0, -30, 30):
        moment = int(now + offset)
        if hmac.compare_digest(totp.at(moment), code):
            step = moment // totp.interval
            if last_step is None or step > last_step:
                return step
    return None


def enable_totp(user: User, secret: str, code: str) -> None:
    """Switch two-factor sign-in on after the first code from the app matched."""
    step = _matching_step(secret, code, None)
    if step is None:
        raise AccountError(
            _("The code is not correct. Check the time on your device and try again."), field="code"
        )
    user.totp_secret = secret
    user.totp_enabled_at = clock.now()
    user.totp_last_step = step
    record("accounts.totp_enabled", actor=user, obj=user)
    db.session.flush()


def check_totp(user: User, code: str) -> bool:
    """Whether ``code`` is a current, unused code of the user's app (marks it used)."""
    if not user.totp_enabled or not user.totp_secret:
        return False
    step = _matching_step(user.totp_secret, code, user.totp_last_step)
    if step is None:
        return False
    user.totp_last_step = step
    db.session.flush()
    return True


def disable_totp(user: User, password: str, code: str) -> None:
    """Switch two-factor sign-in off (password and a current code required)."""
    if needs_totp_for(user):
        raise AccountError(_("Two-factor sign-in is required for staff accounts and cannot be switched off."))
    if not verify_password(user.password_hash, password):
        raise AccountError(_("The password is not correct."), field="password")
    if not check_totp(user, code):
        raise AccountError(
            _("The code is not correct. Check the time on your device and try again."), field="code"
        )
    user.totp_secret = None
    user.totp_enabled_at = None
    user.totp_last_step = None
    record("accounts.totp_disabled", actor=user, obj=user)
    db.session.flush()


def needs_totp_for(user: User) -> bool:
    """Whether this account may not sign in without a second factor."""
    return user.is_staff and require_staff_totp()


# --- data export and deletion --------------------------------------------------------------------


def export_data(user: User) -> dict[str, Any]:
    """Everything the portal holds about ``user`` (Art. 15/20), every domain's part included."""
    return {
        "format": "beteiligungsportal-data-export",
        "version": 1,
        "generated_at": clock.now().isoformat(),
        "portal": current_app.config["PORTAL_BASE_URL"],
        **privacy.collect_export(user),
    }


def delete_account(user: User, mode: privacy.DeletionMode, password: str) -> None:
    """Erase the account (Art. 17) after checking the password: every domain, then the user."""
    if not verify_password(user.password_hash, password):
        raise AccountError(_("The password is not correct."), field="password")
    if user.is_admin and queries.count_admins() <= 1:
        raise AccountError(
            _("You are the only administrator. Appoint another one before deleting your account.")
        )
    was_staff = user.is_staff
    language, address, user_id = user.language, user.email, user.id
    privacy.run_erasers(user, mode)
    db.session.delete(user)
    db.session.flush()
    queue_mail(address, "account_deleted", language=language, mode=mode.value)
    record("accounts.deleted", actor=None, mode=mode.value, user_id=user_id, staff=was_staff or None)


@privacy.exporter("account", order=0)
def _export_account(user: User) -> dict[str, Any]:
    municipality = queries.municipality_names().get(user.municipality_id) if user.municipality_id else None
    return {
        "id": user.id,
        "email": user.email,
        "email_verified_at": user.email_verified_at,
        "display_name": user.display_name,
        "municipality": municipality,
        "language": user.language,
        "privacy_notice_version_accepted": user.privacy_version,
        "privacy_notice_accepted_at": user.privacy_accepted_at,
        "two_factor_enabled": user.totp_enabled,
        "created_at": user.created_at,
        "updated_at": user.updated_at,
        "last_login_at": user.last_login_at,
        "roles": [
            {
                "role": assignment.role.value,
                "municipality_id": assignment.municipality_id,
                "department_id": assignment.department_id,
                "since": assignment.created_at,
            }
            for assignment in user.roles
        ],
    }


@privacy.exporter("audit_log", order=1)
def _export_audit(user: User) -> list[dict[str, Any]]:
    events = db.session.scalars(
        select(AuditEvent)
        .where(
            or_(
                AuditEvent.actor_id == user.id,
                (AuditEvent.object_type == "User") & (AuditEvent.object_id == str(user.id)),
            )
        )
        .order_by(AuditEvent.id)
    )
    return [
        {
            "at": event.created_at,
            "action": event.action,
            "by_you": event.actor_id == user.id,
            "object": f"{event.object_type} {event.object_id}" if event.object_type else None,
            "reason": event.reason,
            "details": event.details,
        }
        for event in events
    ]


@privacy.exporter("emails", order=2)
def _export_mail(user: User) -> list[dict[str, Any]]:
    messages = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.recipient == user.email).order_by(OutboxMessage.id)
    )
    return [
        {"created_at": m.created_at, "subject": m.subject, "status": m.status.value, "sent_at": m.sent_at}
        for m in messages
    ]


@privacy.eraser("emails", order=1000)
def _erase_mail(user: User, mode: privacy.DeletionMode) -> None:
    db.session.execute(delete(OutboxMessage).where(OutboxMessage.recipient == user.email))


# --- administration -----------------------------------------------------------------------------------


def _resolve_scope(role: Role, municipality_key: str | None, department_key: str | None) -> tuple[Any, Any]:
    municipality_id = department_id = None
    if role is Role.MUNICIPALITY_REP:
        municipality_id = queries.municipality_id(municipality_key)
        if municipality_id is None:
            raise AccountError(_("Choose the municipality this person represents."))
    if role is Role.DEPARTMENT_STAFF:
        department_id = queries.department_id(department_key)
        if department_id is None:
            raise AccountError(_("Choose the department this person works in."))
    return municipality_id, department_id


def grant_role(
    user: User,
    role: Role,
    *,
    actor: User | None,
    municipality_key: str | None = None,
    department_key: str | None = None,
) -> RoleAssignment:
    """Give ``user`` a staff right; audited. Staff lose long-lived sessions (no remember-me)."""
    municipality_id, department_id = _resolve_scope(role, municipality_key, department_key)
    for assignment in user.roles:
        if (assignment.role, assignment.municipality_id, assignment.department_id) == (
            role,
            municipality_id,
            department_id,
        ):
            raise AccountError(_("This person already has this role."))
    was_staff = user.is_staff
    assignment = RoleAssignment(
        role=role,
        municipality_id=municipality_id,
        department_id=department_id,
        granted_by_id=actor.id if actor is not None else None,
    )
    user.roles.append(assignment)
    db.session.flush()
    if role in STAFF_ROLES and not was_staff:
        end_all_sessions(user)
    record(
        "accounts.role_granted",
        actor=actor,
        obj=user,
        role=role.value,
        municipality=municipality_key if municipality_id else None,
        department=department_key if department_id else None,
    )
    return assignment


def withdraw_role(user: User, assignment_id: int, *, actor: User) -> None:
    """Take a right away again; audited. Admins cannot withdraw their own admin role."""
    assignment = next((a for a in user.roles if a.id == assignment_id), None)
    if assignment is None:
        raise AccountError(_("This role assignment does not exist (any more)."))
    if assignment.role is Role.ADMIN and user.id == actor.id:
        raise AccountError(_("You cannot withdraw your own administrator role."))
    details = {
        "role": assignment.role.value,
        "municipality_id": assignment.municipality_id,
        "department_id": assignment.department_id,
    }
    user.roles.remove(assignment)
    db.session.flush()
    record("accounts.role_withdrawn", actor=actor, obj=user, **details)


def invite_user(
    *,
    email: str,
    display_name: str,
    language: str,
    actor: User,
    role: Role | None = None,
    municipality_key: str | None = None,
    department_key: str | None = None,
) -> User:
    """Create an account without a password and mail a link to choose one; audited."""
    address = queries.normalise_email(email)
    if queries.find_user_by_email(address) is not None:
        raise AccountError(_("An account with this e-mail address exists already."))
    if role is not None:
        _resolve_scope(role, municipality_key, department_key)  # fail before creating anything
    user = User(email=address, display_name=display_name, language=language, password_hash=None)
    db.session.add(user)
    db.session.flush()
    record("accounts.invited", actor=actor, obj=user, role=role.value if role else None)
    if role is not None:
        grant_role(user, role, actor=actor, municipality_key=municipality_key, department_key=department_key)
    link = external_url("accounts.accept_invitation", token=make_token(user, Purpose.INVITE), lang=language)
    _mail(user, "invitation", link=link, inviter=actor.display_name)
    return user


def create_user(
    *,
    email: str,
    password: str | None,
    display_name: str,
    role: Role | None = None,
    municipality_key: str | None = None,
    department_key: str | None = None,
) -> User:
    """The command line's create-user: a verified account, optionally with a role (audited)."""
    address = queries.normalise_email(email)
    if queries.find_user_by_email(address) is not None:
        raise AccountError(f"an account with {address} exists already")
    user = User(
        email=address,
        display_name=display_name,
        password_hash=hash_password(password) if password else None,
        email_verified_at=clock.now(),
        language=current_app.config["BABEL_DEFAULT_LOCALE"],
    )
    db.session.add(user)
    db.session.flush()
    record("accounts.created_on_command_line", actor=None, obj=user)
    if role is not None:
        grant_role(user, role, actor=None, municipality_key=municipality_key, department_key=department_key)
    return user
