"""Notification preferences: one choice per kind."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import RadioField
from wtforms.validators import ValidationError

from portal.core.i18n import _
from portal.notifications.models import KIND_LABELS
from portal.notifications.models import Frequency
from portal.notifications.models import NotificationKind
from portal.proposals.forms import choices


def _frequency_field(kind: NotificationKind) -> RadioField:
    return RadioField(KIND_LABELS[kind], validate_choice=False)


def _check(form: Any, field: Any) -> None:
    if field.data not in {f.value for f in Frequency}:
        raise ValidationError(_("Choose how often you want e-mail."))


class PreferencesForm(FlaskForm):
    status_changes = _frequency_field(NotificationKind.STATUS_CHANGES)
    official_statements = _frequency_field(NotificationKind.OFFICIAL_STATEMENTS)
    replies = _frequency_field(NotificationKind.REPLIES)

    validate_status_changes = _check
    validate_official_statements = _check
    validate_replies = _check

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for kind in NotificationKind:
            self[kind.value].choices = choices([(f.value, f.label) for f in Frequency])

    def choices(self) -> dict[NotificationKind, Frequency]:
        """The validated choices."""
        return {kind: Frequency(self[kind.value].data) for kind in NotificationKind}
