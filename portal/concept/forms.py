"""The publish form of the concept."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import RadioField
from wtforms import SelectChoice
from wtforms import StringField
from wtforms.validators import InputRequired
from wtforms.validators import Length

from portal.concept.models import ConceptStatus
from portal.core.i18n import _l


class PublishForm(FlaskForm):
    """Publish the current concept as a draft for the council or as decided."""

    status = RadioField(
        _l("Publish as"), validators=[InputRequired(_l("Choose how to publish the version."))]
    )
    note = StringField(
        _l("Note"),
        [Length(max=500)],
        description=_l("Shown with the version, e.g. “Submitted to the district council on 12 March 2027”."),
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.status.choices = [SelectChoice(status.value, str(status.label)) for status in ConceptStatus]
