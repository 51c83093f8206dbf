"""The time horizon shared by proposals and measures (short ≤ 2 years, medium 3–5, long > 5).

One enum for both, so an accepted proposal's horizon prefills its measure's.
"""

from __future__ import annotations

from enum import StrEnum

from portal.core.i18n import _l


class Horizon(StrEnum):
    SHORT = "short"
    MEDIUM = "medium"
    LONG = "long"

    @property
    def label(self) -> str:
        """Translated name with its span of years."""
        return str(HORIZON_LABELS[self])


HORIZON_LABELS = {
    Horizon.SHORT: _l("Short term (up to 2 years)"),
    Horizon.MEDIUM: _l("Medium term (3 to 5 years)"),
    Horizon.LONG: _l("Long term (more than 5 years)"),
}
