"""Forms of the measures back office and the public filter.

Rows of budget lines, indicators and indicator values are plain HTML: a fixed number of empty
rows plus an "add another row" button that re-renders the form with one more row, keeping
everything typed. A row left completely empty is ignored; a row partly filled must be complete.
"""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import BooleanField
from wtforms import DateField
from wtforms import Field
from wtforms import FieldList
from wtforms import Form
from wtforms import FormField
from wtforms import HiddenField
from wtforms import IntegerField
from wtforms import RadioField
from wtforms import SelectChoice
from wtforms import SelectField
from wtforms import SelectMultipleField
from wtforms import StringField
from wtforms import TextAreaField
from wtforms.validators import InputRequired
from wtforms.validators import Length
from wtforms.validators import NumberRange
from wtforms.validators import Optional
from wtforms.validators import StopValidation
from wtforms.validators import ValidationError
from wtforms.widgets import CheckboxInput
from wtforms.widgets import ListWidget
from wtforms.widgets import TextInput

from portal.core.i18n import _
from portal.core.i18n import _l
from portal.measures.models import MAX_YEAR
from portal.measures.models import MIN_YEAR
from portal.measures.models import Direction
from portal.measures.models import MeasureHorizon
from portal.measures.models import MeasureStatus
from portal.measures.numbers import MAX_CENTS
from portal.measures.numbers import parse_cents
from portal.measures.numbers import parse_decimal
from portal.measures.numbers import plain_euro
from portal.measures.numbers import plain_figure

#: Empty rows offered below the filled ones.
EMPTY_BUDGET_ROWS = 2
EMPTY_INDICATOR_ROWS = 1
EMPTY_VALUE_ROWS = 2
#: Upper bounds, so a crafted request cannot make a form of a million rows.
MAX_BUDGET_ROWS = 80
MAX_INDICATOR_ROWS = 20
MAX_VALUE_ROWS = 200


# ---- Fields ---------------------------------------------------------------------------------


def choices(pairs: list[tuple[Any, Any]]) -> list[SelectChoice]:
    """WTForms choices from ``(value, label)`` pairs (labels resolved to text now)."""
    return [SelectChoice(str(value), str(label)) for value, label in pairs]


class MultiCheckboxField(SelectMultipleField):
    """Several choices as a group of checkboxes (rendered as a fieldset by macros/forms.html)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class YearField(IntegerField):
    """A four-digit year; empty is allowed unless a validator says otherwise."""

    widget = TextInput()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        render_kw = kwargs.setdefault("render_kw", {})
        render_kw.setdefault("inputmode", "numeric")
        render_kw.setdefault("size", 6)
        super().__init__(*args, **kwargs)

    def process_formdata(self, valuelist: list[str]) -> None:
        """Parse the year; text that is no whole number is an error with a clear message."""
        self.data = None
        if not valuelist or not valuelist[0].strip():
            return
        text = valuelist[0].strip()
        if not text.isdigit():
            raise ValueError(_("Enter a year as four digits, e.g. 2027."))
        self.data = int(text)


class PercentField(IntegerField):
    """A whole percentage; anything else gets a clear message."""

    widget = TextInput()

    def process_formdata(self, valuelist: list[str]) -> None:
        """Parse "40" or "40 %"."""
        self.data = None
        if not valuelist or not valuelist[0].strip():
            return
        text = valuelist[0].strip().rstrip("%").strip()
        if not text.lstrip("-").isdigit():
            raise ValueError(_("Enter a percentage between 0 and 100."))
        self.data = int(text)


class EuroField(Field):
    """An amount in euros, typed German or English style; ``data`` is in whole cents."""

    widget = TextInput()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        render_kw = kwargs.setdefault("render_kw", {})
        render_kw.setdefault("inputmode", "decimal")
        super().__init__(*args, **kwargs)

    def _value(self) -> str:
        if self.raw_data:
            return self.raw_data[0]
        return plain_euro(self.data) if self.data is not None else ""

    def process_formdata(self, valuelist: list[str]) -> None:
        """Parse into cents; explain the expected format when it is not an amount."""
        self.data = None
        if not valuelist or not valuelist[0].strip():
            return
        try:
            self.data = parse_cents(valuelist[0])
        except ValueError:
            raise ValueError(_("Enter an amount in euros, e.g. 25.000 or 1.500,50.")) from None


class FigureField(Field):
    """A measured value (decimal comma or point); ``data`` is a float."""

    widget = TextInput()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        render_kw = kwargs.setdefault("render_kw", {})
        render_kw.setdefault("inputmode", "decimal")
        super().__init__(*args, **kwargs)

    def _value(self) -> str:
        if self.raw_data:
            return self.raw_data[0]
        return plain_figure(self.data) if self.data is not None else ""

    def process_formdata(self, valuelist: list[str]) -> None:
        """Parse the number; explain the expected format when it is not one."""
        self.data = None
        if not valuelist or not valuelist[0].strip():
            return
        try:
            self.data = float(parse_decimal(valuelist[0]))
        except ValueError:
            raise ValueError(_("Enter a number, e.g. 12 or 12,5.")) from None


# ---- Validators -----------------------------------------------------------------------------


def row_is_blank(form: Form) -> bool:
    """Whether the user typed nothing into the row's own fields."""
    for name in getattr(form, "ROW_FIELDS", ()):
        raw = form[name].raw_data
        if raw and any(str(value).strip() for value in raw):
            return False
    return True


class RequiredInFilledRow:
    """Required when anything else in the row was typed; an empty row is simply skipped."""

    def __init__(self, message: Any) -> None:
        self.message = message

    def __call__(self, form: Form, field: Field) -> None:
        if row_is_blank(form):
            raise StopValidation()
        if field.data is None or (isinstance(field.data, str) and not field.data.strip()):
            if not field.process_errors:
                raise StopValidation(str(self.message))
            raise StopValidation()


class YearInRange:
    """A year the portal can handle (2000 to 2100)."""

    def __call__(self, form: Form, field: Field) -> None:
        if field.data is not None and not MIN_YEAR <= field.data <= MAX_YEAR:
            raise ValidationError(
                _("Enter a year between %(first)d and %(last)d.", first=MIN_YEAR, last=MAX_YEAR)
            )


def _not_negative(form: Form, field: Field) -> None:
    if field.data is not None and field.data < 0:
        raise ValidationError(_("The amount must not be negative."))
    if field.data is not None and field.data > MAX_CENTS:
        raise ValidationError(_("That amount is too large."))


def _target_after_baseline(form: Form, field: Field) -> None:
    baseline = form.baseline_year.data
    if field.data is not None and baseline is not None and field.data <= baseline:
        raise ValidationError(_("The target year must be after the baseline year."))


# ---- Rows -----------------------------------------------------------------------------------


class BudgetLineRow(Form):
    """One budget line: year, amount, funding source."""

    ROW_FIELDS = ("year", "amount", "funding_source")

    year = YearField(_l("Year"), [RequiredInFilledRow(_l("Enter the year.")), YearInRange()])
    amount = EuroField(_l("Amount in euros"), [RequiredInFilledRow(_l("Enter the amount.")), _not_negative])
    funding_source = StringField(_l("Funding source"), [Length(max=200)], render_kw={"autocomplete": "off"})


class IndicatorRow(Form):
    """One indicator: name, unit, direction, baseline and target."""

    ROW_FIELDS = ("name", "unit", "baseline_value", "baseline_year", "target_value", "target_year")

    indicator_id = HiddenField()
    name = StringField(_l("Name"), [RequiredInFilledRow(_l("Enter the indicator's name.")), Length(max=200)])
    unit = StringField(_l("Unit"), [Length(max=50)])
    direction = SelectField(_l("Which way is better"), default=Direction.HIGHER.value)
    baseline_value = FigureField(_l("Baseline value"), [RequiredInFilledRow(_l("Enter the baseline value."))])
    baseline_year = YearField(
        _l("Baseline year"), [RequiredInFilledRow(_l("Enter the baseline year.")), YearInRange()]
    )
    target_value = FigureField(_l("Target value"), [RequiredInFilledRow(_l("Enter the target value."))])
    target_year = YearField(
        _l("Target year"),
        [RequiredInFilledRow(_l("Enter the target year.")), YearInRange(), _target_after_baseline],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Choice labels are lazy: resolve them in the request's language.
        self.direction.choices = choices([(direction.value, direction.label) for direction in Direction])


def _optional_int(value: Any) -> int | None:
    if value in (None, "", "None"):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class ValueRow(Form):
    """One measured value: which indicator, which year, what value."""

    ROW_FIELDS = ("indicator", "year", "value")

    indicator = SelectField(
        _l("Indicator"), coerce=_optional_int, validators=[RequiredInFilledRow(_l("Choose the indicator."))]
    )
    year = YearField(_l("Year"), [RequiredInFilledRow(_l("Enter the year.")), YearInRange()])
    value = FigureField(_l("Value"), [RequiredInFilledRow(_l("Enter the value."))])


# ---- Measure form ---------------------------------------------------------------------------


def status_choices() -> list[SelectChoice]:
    """Status choices in the request's language."""
    return choices([(status.value, status.label) for status in MeasureStatus])


def horizon_choices() -> list[SelectChoice]:
    """Horizon choices in the request's language."""
    return choices([(horizon.value, horizon.label) for horizon in MeasureHorizon])


class MeasureForm(FlaskForm):
    """Everything a moderator writes about a measure."""

    title = StringField(
        _l("Title"), [InputRequired(_l("Enter a title.")), Length(max=200)], render_kw={"autocomplete": "off"}
    )
    description = TextAreaField(_l("Description"), [Length(max=20000)], render_kw={"rows": 8})
    subgoals = MultiCheckboxField(_l("Sub-goals"), coerce=int)
    departments = MultiCheckboxField(_l("Responsible departments"), coerce=int)
    lead_department = SelectField(_l("Lead department"), coerce=int, default=0)
    municipalities = MultiCheckboxField(_l("Partner municipalities"), coerce=int)
    horizon = RadioField(_l("Time horizon"), validators=[InputRequired(_l("Choose the time horizon."))])
    start_year = YearField(_l("Start year"), [Optional(), YearInRange()])
    end_year = YearField(_l("End year"), [Optional(), YearInRange()])
    status = SelectField(_l("Status"), default=MeasureStatus.PLANNED.value)
    progress = PercentField(
        _l("Progress in percent"),
        [
            InputRequired(_l("Enter the progress in percent (0 to 100).")),
            NumberRange(min=0, max=100, message=_l("Enter a percentage between 0 and 100.")),
        ],
        default=0,
        render_kw={"inputmode": "numeric", "size": 4},
    )
    is_public = BooleanField(_l("Show on the public pages"), default=True)
    budget_lines = FieldList(FormField(BudgetLineRow), max_entries=MAX_BUDGET_ROWS)
    indicators = FieldList(FormField(IndicatorRow), max_entries=MAX_INDICATOR_ROWS)
    proposal_ids = HiddenField()

    def set_choices(
        self,
        *,
        subgoals: list[tuple[int, str]],
        departments: list[tuple[int, str]],
        municipalities: list[tuple[int, str]],
    ) -> None:
        """Fill the choices (from the database, in the request's language)."""
        self.subgoals.choices = choices(subgoals)
        self.departments.choices = choices(departments)
        self.lead_department.choices = choices([(0, _("The first responsible department")), *departments])
        self.municipalities.choices = choices(municipalities)
        self.horizon.choices = horizon_choices()
        self.status.choices = status_choices()

    def validate_subgoals(self, field: Field) -> None:
        if not field.data:
            raise ValidationError(_("Choose at least one sub-goal."))

    def validate_departments(self, field: Field) -> None:
        if not field.data and self.status.data and self.status.data != MeasureStatus.PLANNED.value:
            raise ValidationError(
                _("Choose at least one responsible department before the measure leaves “planned”.")
            )

    def validate_lead_department(self, field: Field) -> None:
        if field.data and field.data not in (self.departments.data or []):
            raise ValidationError(_("The lead department must be one of the responsible departments."))

    def validate_end_year(self, field: Field) -> None:
        start = self.start_year.data
        if field.data is not None and start is not None and field.data < start:
            raise ValidationError(_("The end year must not be before the start year."))

    def filled_budget_rows(self) -> list[BudgetLineRow]:
        """Rows the user typed something into."""
        return [entry.form for entry in self.budget_lines if not row_is_blank(entry.form)]

    def filled_indicator_rows(self) -> list[IndicatorRow]:
        """Rows the user typed something into."""
        return [entry.form for entry in self.indicators if not row_is_blank(entry.form)]

    def label_rows(self) -> None:
        """Number the row labels ("Year, budget line 2"), so each field's name is unique."""
        for number, entry in enumerate(self.budget_lines, start=1):
            for name in BudgetLineRow.ROW_FIELDS:
                field = entry.form[name]
                field.label.text = _(
                    "%(label)s, budget line %(number)d", label=field.label.text, number=number
                )
        for number, entry in enumerate(self.indicators, start=1):
            for name in (*IndicatorRow.ROW_FIELDS, "direction"):
                field = entry.form[name]
                field.label.text = _("%(label)s, indicator %(number)d", label=field.label.text, number=number)


# ---- Progress form (department staff) -------------------------------------------------------


class ProgressForm(FlaskForm):
    """What department staff record: status, progress, measured values, a public update."""

    status = SelectField(_l("Status"))
    progress = PercentField(
        _l("Progress in percent"),
        [
            InputRequired(_l("Enter the progress in percent (0 to 100).")),
            NumberRange(min=0, max=100, message=_l("Enter a percentage between 0 and 100.")),
        ],
        render_kw={"inputmode": "numeric", "size": 4},
    )
    values = FieldList(FormField(ValueRow), max_entries=MAX_VALUE_ROWS)
    update_date = DateField(_l("Date of the update"), [Optional()])
    update_text = TextAreaField(_l("Progress update"), [Length(max=5000)], render_kw={"rows": 5})

    def set_choices(self, indicators: list[tuple[int, str]], *, has_departments: bool) -> None:
        """Fill the choices; remember whether the measure has departments (status rule)."""
        self.status.choices = status_choices()
        self._has_departments = has_departments
        for entry in self.values:
            entry.form.indicator.choices = choices([("", _("– choose –")), *indicators])

    def validate_status(self, field: Field) -> None:
        if field.data != MeasureStatus.PLANNED.value and not getattr(self, "_has_departments", True):
            raise ValidationError(
                _("Choose at least one responsible department before the measure leaves “planned”.")
            )

    def validate_values(self, field: Field) -> None:
        seen: set[tuple[int, int]] = set()
        message = _("This indicator already has a value for this year in another row.")
        duplicate = False
        for entry in field:
            row = entry.form
            if row_is_blank(row) or row.indicator.data is None or row.year.data is None:
                continue
            key = (row.indicator.data, row.year.data)
            if key in seen:
                row.year.errors.append(message)  # shown next to the row's year
                duplicate = True
            seen.add(key)
        if duplicate:
            raise ValidationError(message)  # makes the form invalid

    def filled_value_rows(self) -> list[ValueRow]:
        """Rows the user typed something into."""
        return [entry.form for entry in self.values if not row_is_blank(entry.form)]

    def label_rows(self) -> None:
        """Number the row labels ("Year, value 2")."""
        for number, entry in enumerate(self.values, start=1):
            for name in ValueRow.ROW_FIELDS:
                field = entry.form[name]
                field.label.text = _("%(label)s, value %(number)d", label=field.label.text, number=number)


# ---- Public filter (GET, no CSRF) -----------------------------------------------------------


class FilterForm(Form):
    """The measures list's filters; values are stable keys so filtered URLs can be shared."""

    goal = SelectField(_l("Main goal"))
    subgoal = SelectField(_l("Sub-goal"))
    department = SelectField(_l("Department"))
    municipality = SelectField(_l("Municipality"))
    status = SelectField(_l("Status"))
    horizon = SelectField(_l("Time horizon"))

    def cleaned(self) -> dict[str, str]:
        """The chosen values that are valid choices (anything else is ignored, not an error)."""
        result = {}
        for name in ("goal", "subgoal", "department", "municipality", "status", "horizon"):
            field = self[name]
            valid = {choice.value for choice in field.choices}
            if field.data and str(field.data) in valid:
                result[name] = str(field.data)
        return result


class ProposalPickForm(Form):
    """Accepted proposals to turn into one measure (a GET form to the new-measure page)."""

    vorschlag = MultiCheckboxField(_l("Accepted proposals without a measure"), coerce=int)
