"""Forms of the account pages and the user administration."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import BooleanField
from wtforms import EmailField
from wtforms import Field
from wtforms import HiddenField
from wtforms import PasswordField
from wtforms import RadioField
from wtforms import SelectChoice
from wtforms import SelectField
from wtforms import StringField
from wtforms.validators import DataRequired
from wtforms.validators import Email
from wtforms.validators import EqualTo
from wtforms.validators import InputRequired
from wtforms.validators import Length
from wtforms.validators import ValidationError

from portal.accounts import queries
from portal.accounts.models import ROLE_LABELS
from portal.accounts.models import Role
from portal.accounts.passwords import password_problem
from portal.accounts.privacy import DeletionMode
from portal.core.i18n import LANGUAGE_NAMES
from portal.core.i18n import _
from portal.core.i18n import _l
from portal.core.i18n import tr
from portal.core.sanitize import clean_text


def choices(pairs: list[tuple[str, str]]) -> list[SelectChoice]:
    """(value, label) pairs as WTForms options."""
    return [SelectChoice(value, label) for value, label in pairs]


def language_choices() -> list[SelectChoice]:
    """The interface languages, each named in itself (and marked so for screen readers)."""
    return [SelectChoice(code, LANGUAGE_NAMES[code], render_kw={"lang": code}) for code in LANGUAGE_NAMES]


def _strip(value: Any) -> Any:
    return clean_text(value) if isinstance(value, str) else value


def _email_field(label: Any = None) -> EmailField:
    return EmailField(
        label or _l("E-mail address"),
        filters=[lambda value: value.strip() if isinstance(value, str) else value],
        validators=[
            DataRequired(message=_l("Enter your e-mail address.")),
            Length(max=254, message=_l("The e-mail address is too long.")),
            Email(
                check_deliverability=False,
                message=_l("Enter an e-mail address in the form name@example.org."),
            ),
        ],
    )


def _display_name_field() -> StringField:
    return StringField(
        _l("Display name"),
        filters=[_strip],
        validators=[
            DataRequired(message=_l("Enter the name that others will see.")),
            Length(min=2, max=80, message=_l("The name must be between 2 and 80 characters long.")),
        ],
    )


class PasswordPolicy:
    """Length, the list of common passwords, and not the e-mail address (see passwords.py)."""

    def __init__(self, email_field: str | None = None) -> None:
        self.email_field = email_field

    def __call__(self, form: FlaskForm, field: Field) -> None:
        email = getattr(form, "policy_email", None)
        if self.email_field:
            email = form[self.email_field].data
        problem = password_problem(field.data or "", email)
        if problem:
            raise ValidationError(problem)


def _new_password_fields(email_field: str | None = None) -> tuple[PasswordField, PasswordField]:
    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(message=_l("Choose a password.")), PasswordPolicy(email_field)],
    )
    confirm = PasswordField(
        _l("Repeat the password"),
        validators=[
            DataRequired(message=_l("Repeat the password.")),
            EqualTo("password", message=_l("The two passwords do not match.")),
        ],
    )
    return password, confirm


class MunicipalityChoicesMixin:
    """Fills the municipality select from the database (an empty choice first)."""

    municipality: SelectField

    def load_municipalities(self) -> None:
        self.municipality.choices = choices([("", _("Not specified")), *queries.municipality_choices()])


class RegistrationForm(MunicipalityChoicesMixin, FlaskForm):
    email = _email_field()
    password, password_confirm = _new_password_fields("email")
    display_name = _display_name_field()
    municipality = SelectField(_l("Municipality where you live"), choices=[], validate_choice=True)
    language = SelectField(_l("Language of e-mails"), choices=language_choices())
    accept_privacy = BooleanField(
        _l("I have read the privacy notice and agree to the processing of my data as described there."),
        validators=[DataRequired(message=_l("Please confirm that you agree to the privacy notice."))],
    )


class LoginForm(FlaskForm):
    email = EmailField(
        _l("E-mail address"),
        filters=[lambda value: value.strip() if isinstance(value, str) else value],
        validators=[DataRequired(message=_l("Enter your e-mail address."))],
    )
    password = PasswordField(_l("Password"), validators=[DataRequired(message=_l("Enter your password."))])
    remember = BooleanField(_l("Stay signed in on this device (not for staff accounts)"))
    next = HiddenField()


class TotpLoginForm(FlaskForm):
    code = StringField(
        _l("Six-digit code from your authenticator app"),
        filters=[lambda value: value.replace(" ", "").strip() if isinstance(value, str) else value],
        validators=[
            DataRequired(message=_l("Enter the code from your app.")),
            Length(min=6, max=6, message=_l("The code has six digits.")),
        ],
    )


class ForgotPasswordForm(FlaskForm):
    email = _email_field()


class ResetPasswordForm(FlaskForm):
    password, password_confirm = _new_password_fields()

    def __init__(self, *args: Any, email: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.policy_email = email


class InvitationForm(ResetPasswordForm):
    accept_privacy = BooleanField(
        _l("I have read the privacy notice and agree to the processing of my data as described there."),
        validators=[DataRequired(message=_l("Please confirm that you agree to the privacy notice."))],
    )


class ProfileForm(MunicipalityChoicesMixin, FlaskForm):
    display_name = _display_name_field()
    municipality = SelectField(_l("Municipality where you live"), choices=[], validate_choice=True)
    language = SelectField(_l("Language of e-mails"), choices=language_choices())


class EmailChangeForm(FlaskForm):
    new_email = _email_field(_l("New e-mail address"))
    password = PasswordField(
        _l("Current password"), validators=[DataRequired(message=_l("Enter your current password."))]
    )


class PasswordChangeForm(FlaskForm):
    current_password = PasswordField(
        _l("Current password"), validators=[DataRequired(message=_l("Enter your current password."))]
    )
    password, password_confirm = _new_password_fields()

    def __init__(self, *args: Any, email: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.policy_email = email


class TotpSetupForm(FlaskForm):
    code = TotpLoginForm.code


class TotpDisableForm(FlaskForm):
    password = PasswordField(
        _l("Current password"), validators=[DataRequired(message=_l("Enter your current password."))]
    )
    code = TotpLoginForm.code


class DeleteAccountForm(FlaskForm):
    mode = RadioField(
        _l("What should happen to your public contributions?"),
        choices=[],
        validators=[InputRequired(message=_l("Choose what should happen to your contributions."))],
    )
    password = PasswordField(
        _l("Current password"), validators=[DataRequired(message=_l("Enter your current password."))]
    )
    confirm = BooleanField(
        _l("I understand that my account cannot be restored."),
        validators=[DataRequired(message=_l("Please confirm that you want to delete your account."))],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Labels resolved in the request's language (the class attribute froze the lazy ones).
        self.mode.choices = choices([(mode.value, mode.label) for mode in DeletionMode])


class EmptyForm(FlaskForm):
    """A one-button form (sign out, resend, withdraw): CSRF protection only."""


# --- administration -----------------------------------------------------------------------------


def _role_choices(with_empty: bool) -> list[SelectChoice]:
    pairs = [(role.value, str(ROLE_LABELS[role])) for role in Role]
    return choices([("", _("No role (citizen)")), *pairs] if with_empty else pairs)


class RoleScopeMixin(MunicipalityChoicesMixin):
    department: SelectField

    def load_scopes(self) -> None:
        self.municipality.choices = choices([("", _("None")), *queries.municipality_choices()])
        self.department.choices = choices(
            [("", _("None")), *((key, tr(name)) for key, name in queries.department_choices())]
        )

    def validate_municipality(self, field: Field) -> None:
        if self.role.data == Role.MUNICIPALITY_REP.value and not field.data:  # type: ignore[attr-defined]
            raise ValidationError(_("Choose the municipality this person represents."))

    def validate_department(self, field: Field) -> None:
        if self.role.data == Role.DEPARTMENT_STAFF.value and not field.data:  # type: ignore[attr-defined]
            raise ValidationError(_("Choose the department this person works in."))


class InviteForm(RoleScopeMixin, FlaskForm):
    email = _email_field()
    display_name = _display_name_field()
    language = SelectField(_l("Language of e-mails"), choices=language_choices())
    role = SelectField(_l("Role"), choices=[])
    municipality = SelectField(_l("Municipality (for representatives)"), choices=[])
    department = SelectField(_l("Department (for department staff)"), choices=[])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.role.choices = _role_choices(with_empty=True)
        self.load_scopes()


class GrantRoleForm(RoleScopeMixin, FlaskForm):
    role = SelectField(_l("Role"), choices=[])
    municipality = SelectField(_l("Municipality (for representatives)"), choices=[])
    department = SelectField(_l("Department (for department staff)"), choices=[])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.role.choices = _role_choices(with_empty=False)
        self.load_scopes()


class StaffTotpSettingForm(FlaskForm):
    require_staff_totp = BooleanField(
        _l("Staff accounts (department staff, moderators, administrators) must use two-factor sign-in")
    )
