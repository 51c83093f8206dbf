"""Reading and writing amounts and figures the way people type them (German or English style).

"1.234,56", "1234,56", "1,234.56" and "1234.56" all mean the same amount; "1.500" is fifteen
hundred in German and one and a half in English, so the interface language breaks the tie.
Money is handled in whole cents.
"""

from __future__ import annotations

import re
from decimal import Decimal
from decimal import InvalidOperation

from babel.numbers import format_currency
from babel.numbers import format_decimal
from babel.numbers import get_decimal_symbol
from flask_babel import get_locale

_THOUSANDS_DOT = re.compile(r"\d{1,3}(\.\d{3})+")
_THOUSANDS_COMMA = re.compile(r"\d{1,3}(,\d{3})+")
_PLAIN = re.compile(r"\d+(\.\d+)?|\.\d+")

#: Largest amount a budget line may hold: a trillion euros minus a cent.
MAX_CENTS = 10**14 - 1


def _language() -> str:
    locale = get_locale()
    return locale.language if locale else "de"


def parse_decimal(text: str, language: str | None = None) -> Decimal:
    """A number typed in the style of the language (decimal comma or point); ValueError if none."""
    language = language or _language()
    value = text.strip().replace("\u00a0", "").replace("\u202f", "").replace(" ", "").replace("€", "")
    value = value.replace("'", "").replace("\u2212", "-")
    negative = value.startswith("-")
    if value[:1] in ("+", "-"):
        value = value[1:]
    decimal_point = get_decimal_symbol(language) == "."  # English and Arabic; the others: comma
    if "," in value and "." in value:
        if value.rfind(",") > value.rfind("."):
            value = value.replace(".", "").replace(",", ".")
        else:
            value = value.replace(",", "")
    elif "," in value:
        if decimal_point and _THOUSANDS_COMMA.fullmatch(value):
            value = value.replace(",", "")
        else:
            value = value.replace(",", ".")
    elif "." in value and not decimal_point and _THOUSANDS_DOT.fullmatch(value):
        value = value.replace(".", "")
    if not _PLAIN.fullmatch(value):
        raise ValueError(text)
    try:
        number = Decimal(value)
    except InvalidOperation:
        raise ValueError(text) from None
    return -number if negative else number


def parse_cents(text: str, language: str | None = None) -> int:
    """An amount in euros as whole cents; ValueError for more than two decimals or no number."""
    number = parse_decimal(text, language)
    cents = number * 100
    if cents != cents.to_integral_value():
        raise ValueError(text)
    return int(cents)


def format_euro(cents: int | None, language: str | None = None) -> str:
    """ "1.234 €" / "€1,234" for whole euros, with cents only where there are any."""
    if cents is None:
        return ""
    locale = language or get_locale() or "de"
    pattern = None
    if cents % 100 == 0:
        from babel import Locale

        resolved = Locale.parse(locale) if isinstance(locale, str) else locale
        pattern = resolved.currency_formats["standard"].pattern.replace(".00", "")
    return format_currency(Decimal(cents) / 100, "EUR", format=pattern, locale=locale, currency_digits=False)


def format_figure(value: float | int | None, language: str | None = None) -> str:
    """A measured value: thousands separators, up to three decimals, no trailing zeros."""
    if value is None:
        return ""
    locale = language or get_locale() or "de"
    return format_decimal(Decimal(str(value)), format="#,##0.###", locale=locale)


def plain_euro(cents: int, language: str | None = None) -> str:
    """An amount for an input field: "1.234,5" style without the currency sign."""
    locale = language or get_locale() or "de"
    return format_decimal(Decimal(cents) / 100, format="#,##0.##", locale=locale)


def plain_figure(value: float | None, language: str | None = None) -> str:
    """A measured value for an input field, without thousands separators."""
    if value is None:
        return ""
    locale = language or get_locale() or "de"
    return format_decimal(Decimal(str(value)), format="0.######", locale=locale)
