"""Forms of the back office: queue filters and bulk actions, visibility, status, merge, templates."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from flask_wtf import FlaskForm
from wtforms import DateField
from wtforms import IntegerField
from wtforms import SelectField
from wtforms import SelectMultipleField
from wtforms import StringField
from wtforms import TextAreaField
from wtforms.validators import DataRequired
from wtforms.validators import InputRequired
from wtforms.validators import Length
from wtforms.validators import NumberRange
from wtforms.validators import Optional
from wtforms.validators import ValidationError
from wtforms.widgets import CheckboxInput
from wtforms.widgets import ListWidget

from portal.core.i18n import _
from portal.core.i18n import _l
from portal.moderation.services import REASON_MAX
from portal.moderation.services import BulkAction
from portal.proposals.models import ProposalStatus

ANSWER_MAX = 5000
TEMPLATE_TITLE_MAX = 120
TEMPLATE_TEXT_MAX = 5000


class MultiCheckboxField(SelectMultipleField):
    """Several choices as a group of checkboxes (rendered as a fieldset by macros/forms.html)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def pre_validate(self, form: Any) -> None:
        """Only offered values (WTForms' own message is not translated)."""
        offered = {self.coerce(choice.value) for choice in self.iter_choices()}
        if self.data and any(value not in offered for value in self.data):
            raise ValidationError(_("Choose only from the options offered."))


class NumberField(IntegerField):
    """A whole number, with the portal's own message for anything else (WTForms' is not translated)."""

    def process_formdata(self, valuelist: list[Any]) -> None:
        if not valuelist or not str(valuelist[0]).strip():
            self.data = None
            return
        text = str(valuelist[0]).strip()
        if not re.fullmatch(r"-?\d{1,12}", text):
            self.data = None
            raise ValueError(_("Enter a whole number."))
        self.data = int(text)


class DayField(DateField):
    """A calendar day (``<input type="date">``) with the portal's own error message."""

    def process_formdata(self, valuelist: list[Any]) -> None:
        if not valuelist or not valuelist[0]:
            self.data = None
            return
        try:
            self.data = date.fromisoformat(valuelist[0].strip())
        except ValueError:
            self.data = None
            raise ValueError(_("Enter a valid date (day, month, year).")) from None


class EmptyForm(FlaskForm):
    """One-button actions: only the CSRF token."""


class QueueFilterForm(FlaskForm):
    """The queue's filters (GET; unknown values are ignored)."""

    class Meta:
        csrf = False

    oberziel = SelectField(_l("Main goal"), validate_choice=False)
    unterziel = SelectField(_l("Sub-goal"), validate_choice=False)
    gemeinde = SelectField(_l("Municipality"), validate_choice=False)
    geschaeftsbereich = SelectField(_l("Department"), validate_choice=False)


BULK_LABELS = {
    BulkAction.PUBLISH: _l("Publish (pre-moderation)"),
    BulkAction.REVIEW: _l("Move to “under review”"),
    BulkAction.HIDE: _l("Hide (with reason)"),
    BulkAction.RESTORE: _l("Show again (with reason)"),
    BulkAction.DISMISS: _l("Dismiss the reports"),
    BulkAction.ASSIGN: _l("Assign a department"),
    BulkAction.ASK_STATEMENTS: _l("Ask the municipalities for statements"),
}


class BulkForm(FlaskForm):
    """What to do with the checked items of the queue."""

    action = SelectField(_l("Action for the checked items"), validate_choice=False)
    reason = TextAreaField(
        _l("Reason or note"),
        validators=[Optional(), Length(max=REASON_MAX, message=_l("At most %(max)d characters."))],
    )
    department = SelectField(_l("Department to assign"), validate_choice=False)

    def setup(self, actions: list[BulkAction], departments: list[tuple[str, str]]) -> BulkForm:
        """Offer the actions of the section and the departments."""
        self.action.choices = [("", _("Choose an action"))] + [
            (a.value, str(BULK_LABELS[a])) for a in actions
        ]
        self.department.choices = [("", _("Choose a department")), *departments]
        return self

    def validate_action(self, field: Any) -> None:
        if field.data not in {value for value, _label in field.choices if value}:
            raise ValidationError(_("Choose an action."))

    def validate(self, extra_validators: Any = None) -> bool:
        """The reason is required to hide or show again (Optional() would skip a field check)."""
        valid = super().validate(extra_validators)
        needs_reason = self.action.data in (BulkAction.HIDE.value, BulkAction.RESTORE.value)
        if needs_reason and not (self.reason.data or "").strip():
            self.reason.errors = [*self.reason.errors, _("Please give a reason: the author is told why.")]
            valid = False
        return valid

    def validate_department(self, field: Any) -> None:
        if self.action.data == BulkAction.ASSIGN.value and field.data not in {
            value for value, _label in field.choices if value
        }:
            raise ValidationError(_("Choose the department to assign."))


class VisibilityForm(FlaskForm):
    """Hide, show again or dismiss reports; the reason goes to the author and the audit log."""

    reason = TextAreaField(
        _l("Reason"),
        validators=[Optional(), Length(max=REASON_MAX, message=_l("At most %(max)d characters."))],
    )


class StatusForm(FlaskForm):
    """A decision: the new status and the public answer (a template may prefill it)."""

    status = SelectField(_l("New status"), validate_choice=False)
    answer = TextAreaField(
        _l("Public answer"),
        validators=[Optional(), Length(max=ANSWER_MAX, message=_l("At most %(max)d characters."))],
    )
    template = SelectField(_l("Answer template"), validate_choice=False)

    def validate_status(self, field: Any) -> None:
        # Any status is accepted here: the workflow refuses what it does not allow, with its reason.
        if (
            field.data not in {status.value for status in ProposalStatus}
            or field.data == ProposalStatus.MERGED.value
        ):
            raise ValidationError(_("Choose the new status."))


class MergeForm(FlaskForm):
    """Merge into another proposal, named by its number."""

    target = NumberField(
        _l("Number of the proposal to merge into"),
        validators=[
            InputRequired(message=_l("Enter the number of the proposal to merge into.")),
            NumberRange(min=1, message=_l("Enter the number of the proposal to merge into.")),
        ],
    )
    answer = TextAreaField(
        _l("Public answer"),
        validators=[
            DataRequired(message=_l("Please give a public answer: it is required for a merge.")),
            Length(max=ANSWER_MAX, message=_l("At most %(max)d characters.")),
        ],
    )
    template = SelectField(_l("Answer template"), validate_choice=False)


class AssignForm(FlaskForm):
    """Assign one more department to a proposal."""

    department = SelectField(_l("Department"), validate_choice=False)

    def validate_department(self, field: Any) -> None:
        if field.data not in {value for value, _label in field.choices if value}:
            raise ValidationError(_("Choose a department."))


class TemplateForm(FlaskForm):
    """An answer template: title and text in German (required) and English (optional)."""

    title_de = StringField(
        _l("Title (German)"),
        validators=[
            DataRequired(message=_l("Enter a title.")),
            Length(max=TEMPLATE_TITLE_MAX, message=_l("At most %(max)d characters.")),
        ],
    )
    title_en = StringField(
        _l("Title (English)"),
        validators=[Optional(), Length(max=TEMPLATE_TITLE_MAX, message=_l("At most %(max)d characters."))],
    )
    text_de = TextAreaField(
        _l("Text (German)"),
        validators=[
            DataRequired(message=_l("Enter the text of the answer.")),
            Length(max=TEMPLATE_TEXT_MAX, message=_l("At most %(max)d characters.")),
        ],
    )
    text_en = TextAreaField(
        _l("Text (English)"),
        validators=[Optional(), Length(max=TEMPLATE_TEXT_MAX, message=_l("At most %(max)d characters."))],
    )

    def validate(self, extra_validators: Any = None) -> bool:
        """English title and text come together, or not at all."""
        valid = super().validate(extra_validators)
        if bool((self.text_en.data or "").strip()) != bool((self.title_en.data or "").strip()):
            message = _("Give both the English title and the English text, or neither.")
            self.text_en.errors = [*self.text_en.errors, message]
            valid = False
        return valid
