"""Reading forms and markup out of rendered HTML (stdlib parser only): the suites discover fields
from the pages instead of hard-coding them, and check responses for executable markup."""

from __future__ import annotations

import re
from dataclasses import dataclass
from dataclasses import field
from html.parser import HTMLParser
from urllib.parse import unquote


@dataclass
class Form:
    """One ``<form>``: its action, method, and the fields with the values a browser would send."""

    action: str
    method: str
    fields: dict[str, str] = field(default_factory=dict)
    #: name -> kind ("text", "textarea", "select", "radio", "checkbox", "hidden", "file", ...)
    kinds: dict[str, str] = field(default_factory=dict)
    #: name -> the values a select or radio group offers
    options: dict[str, list[str]] = field(default_factory=dict)
    submits: list[tuple[str, str]] = field(default_factory=list)

    def text_fields(self) -> list[str]:
        """Fields a person types into (shown again, so candidates for XSS)."""
        return [
            name
            for name, kind in self.kinds.items()
            if kind in ("text", "textarea", "search", "email", "url", "") and name != "csrf_token"
        ]


class _FormParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: str | None = None
        self._select_first: str | None = None
        self._select_chosen = False
        self._option_value: str | None = None
        self._option_text: list[str] = []
        self._textarea: str | None = None
        self._textarea_text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {key: (value or "") for key, value in attrs}
        if tag == "form":
            self._form = Form(action=a.get("action", ""), method=(a.get("method") or "get").lower())
            self.forms.append(self._form)
            return
        form = self._form
        if form is None:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text").lower()
            if kind in ("submit", "image"):
                form.submits.append((name, a.get("value", "")))
                return
            form.kinds.setdefault(name, kind)
            if kind == "radio":
                form.options.setdefault(name, []).append(a.get("value", "on"))
                if "checked" in a or name not in form.fields:
                    form.fields[name] = a.get("value", "on")
            elif kind == "checkbox":
                if "checked" in a:
                    form.fields[name] = a.get("value", "y")
            elif kind != "file":
                form.fields[name] = a.get("value", "")
        elif tag == "button" and name:
            if a.get("type", "submit").lower() == "submit":
                form.submits.append((name, a.get("value", "")))
        elif tag == "select" and name:
            self._select, self._select_first, self._select_chosen = name, None, False
            form.kinds[name] = "select"
            form.options[name] = []
        elif tag == "option" and self._select:
            self._option_value = a.get("value")
            self._option_text = []
            if self._option_value is not None:
                self._add_option(self._option_value, "selected" in a)
        elif tag == "textarea" and name:
            self._textarea, self._textarea_text = name, []
            form.kinds[name] = "textarea"

    def _add_option(self, value: str, selected: bool) -> None:
        assert self._form is not None and self._select is not None
        self._form.options[self._select].append(value)
        if selected or (not self._select_chosen and value and self._select not in self._form.fields):
            self._form.fields[self._select] = value
            self._select_chosen = self._select_chosen or selected

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._textarea_text.append(data)
        elif self._select and self._option_value is None:
            self._option_text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "option" and self._select:
            if self._option_value is None:
                self._add_option("".join(self._option_text).strip(), False)
            self._option_value = None
        elif tag == "textarea" and self._textarea is not None and self._form is not None:
            self._form.fields[self._textarea] = "".join(self._textarea_text).lstrip("\n")
            self._textarea = None


def forms_of(html: str) -> list[Form]:
    """Every form of a page."""
    parser = _FormParser()
    parser.feed(html)
    parser.close()
    return parser.forms


def post_forms(html: str) -> list[Form]:
    return [form for form in forms_of(html) if form.method == "post"]


# --- executable markup ----------------------------------------------------------------------------

URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "background"}
DANGEROUS_TAGS = {
    "script",
    "iframe",
    "object",
    "embed",
    "frame",
    "frameset",
    "applet",
    "base",
    "meta",
    "link",
}
_SCHEME = re.compile(r"^\s*([a-z][a-z0-9+.\-]*)\s*:", re.I)


def _url_scheme(value: str) -> str:
    # Browsers drop tabs/newlines and control characters inside a scheme ("java\tscript:").
    squeezed = re.sub(r"[\x00-\x20]", "", unquote(value))
    match = _SCHEME.match(squeezed)
    return match.group(1).lower() if match else ""


def _own_tag(tag: str, attrs: dict[str, str]) -> bool:
    """The portal's own tags: scripts and styles from /static/, ordinary meta and link tags."""
    if tag == "script":
        return attrs.get("src", "").startswith("/static/")
    if tag == "link":
        return _url_scheme(attrs.get("href", "")) not in ("javascript", "vbscript", "data")
    if tag == "meta":
        return "http-equiv" not in attrs or attrs["http-equiv"].lower() != "refresh"
    return False


class _MarkupAuditor(HTMLParser):
    """Collects executable markup: script-like tags, event handlers, script URLs, inline styles."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.findings: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._check(tag, attrs)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._check(tag, attrs)

    def _check(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {key.lower(): value or "" for key, value in attrs}
        if tag in DANGEROUS_TAGS and not _own_tag(tag, values):
            self.findings.append(f"<{tag} {values}>")
        if tag in ("svg", "math"):
            self.findings.append(f"<{tag}>")
        for key, value in values.items():
            if key.startswith("on"):
                self.findings.append(f"<{tag} {key}=...>")
            elif key == "style":
                self.findings.append(f"<{tag} style=...>")
            elif key == "srcdoc":
                self.findings.append(f"<{tag} srcdoc>")
            elif key in URL_ATTRIBUTES and _url_scheme(value) in ("javascript", "vbscript", "data"):
                self.findings.append(f"<{tag} {key}={value[:60]!r}>")


def executable_markup(html: str) -> list[str]:
    """What in ``html`` could run script (the portal's own /static/ scripts excepted)."""
    auditor = _MarkupAuditor()
    auditor.feed(html)
    auditor.close()
    return auditor.findings
