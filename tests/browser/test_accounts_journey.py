"""The account journey in a real browser, in German and in English: register, confirm the address
from the mail, sign in, the account pages, download the own data, delete the account, and find
that the old password no longer works. Every page on the way: axe, Nu, console and CSP; every
form once submitted wrongly (errors next to the fields, typed text kept)."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page

from tests.browser.helpers import LANGUAGES
from tests.browser.helpers import HtmlChecker
from tests.browser.helpers import LiveUser
from tests.browser.helpers import Mailbox
from tests.browser.helpers import Visitor
from tests.browser.helpers import assert_field_error
from tests.browser.helpers import assert_html_valid
from tests.browser.helpers import check_page
from tests.browser.helpers import follow
from tests.browser.helpers import run_last
from tests.browser.helpers import with_lang

PASSWORD = "Lindenblüten duften im Juni"

TEXT = {
    "de": {
        "bad_email": "Bitte geben Sie eine E-Mail-Adresse in der Form name@beispiel.de ein.",
        "mismatch": "Die beiden Passwörter stimmen nicht überein.",
        "privacy": "Bitte bestätigen Sie, dass Sie der Datenschutzerklärung zustimmen.",
        "confirmed": "Vielen Dank, Ihre E-Mail-Adresse ist bestätigt.",
        "wrong_login": "Die E-Mail-Adresse oder das Passwort ist nicht richtig.",
        "signed_in": "Sie sind angemeldet.",
        "mode": "Bitte wählen Sie, was mit Ihren Beiträgen geschehen soll.",
        "confirm": "Bitte bestätigen Sie, dass Sie Ihr Konto löschen möchten.",
        "deleted": "Ihr Konto wurde gelöscht.",
        "mail_subject": "Bitte bestätigen Sie Ihre E-Mail-Adresse",
    },
    "en": {
        "bad_email": "Enter an e-mail address in the form name@example.org.",
        "mismatch": "The two passwords do not match.",
        "privacy": "Please confirm that you agree to the privacy notice.",
        "confirmed": "Thank you, your e-mail address is confirmed.",
        "wrong_login": "The e-mail address or the password is not correct.",
        "signed_in": "You are signed in.",
        "mode": "Choose what should happen to your contributions.",
        "confirm": "Please confirm that you want to delete your account.",
        "deleted": "Your account has been deleted.",
        "mail_subject": "Please confirm your e-mail address",
    },
}


def submit_button(page: Page) -> Callable[[], None]:
    """Click the main form's primary button (the header has a sign-out form too)."""
    return lambda: page.locator("main form button.kern-btn--primary[type=submit]").last.click()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_register_confirm_sign_in_export_and_delete(
    page: Page, visit: Visitor, mailbox: Mailbox, lang: str
) -> None:
    text = TEXT[lang]
    address = f"journey-{lang}-{uuid.uuid4().hex[:8]}@example.org"

    # -- registration: a wrong submit first ---------------------------------------------------------
    visit(with_lang("/registrieren", lang))
    check_page(visit, lang)
    page.locator("#email").fill("anna.example.org")
    page.locator("#password").fill(PASSWORD)
    page.locator("#password_confirm").fill(PASSWORD + "!")
    page.locator("#display_name").fill("Anna Lindner")
    follow(visit, submit_button(page))
    check_page(visit, lang)
    assert_field_error(page, "email", text["bad_email"])
    assert_field_error(page, "password_confirm", text["mismatch"])
    assert_field_error(page, "accept_privacy", text["privacy"])
    assert page.locator("#email").input_value() == "anna.example.org", "typed address lost"
    assert page.locator("#display_name").input_value() == "Anna Lindner", "typed name lost"

    # -- registration done right -----------------------------------------------------------------------
    page.locator("#email").fill(address)
    page.locator("#password").fill(PASSWORD)
    page.locator("#password_confirm").fill(PASSWORD)
    page.locator("#municipality").select_option("schoeningen")
    page.locator("#accept_privacy").check()
    follow(visit, submit_button(page))
    assert "/e-mail-gesendet" in page.url
    check_page(visit, lang)

    # -- the confirmation link from the mail (in the language chosen at registration) ---------------
    assert mailbox.last(address)["Subject"] == text["mail_subject"]
    link = mailbox.link(address, "/bestaetigen/")
    visit(link)  # redirects to the sign-in page
    assert "/anmelden" in page.url
    check_page(visit, lang)
    assert text["confirmed"] in page.locator(".flash-messages").inner_text()

    # -- sign in: a wrong password first, the address stays ---------------------------------------
    page.locator("#email").fill(address)
    page.locator("#password").fill("not the password at all")
    follow(visit, submit_button(page))
    check_page(visit, lang)
    assert text["wrong_login"] in page.locator("#error-summary").inner_text()
    assert page.locator("#email").input_value() == address
    page.locator("#password").fill(PASSWORD)
    follow(visit, submit_button(page))
    assert page.url.split("?")[0].endswith("/konto"), f"after sign-in: {page.url}"
    check_page(visit, lang)
    assert text["signed_in"] in page.locator(".flash-messages").inner_text()
    assert address in page.locator("main").inner_text()

    # -- the account page: a bad profile submit keeps the typed text ------------------------------
    page.locator("#display_name").fill("A")
    follow(visit, submit_button(page))
    check_page(visit, lang)
    assert_field_error(page, "display_name")
    assert page.locator("#display_name").input_value() == "A"
    assert page.locator("#municipality").input_value() == "schoeningen"

    # -- data export: a JSON download with the own address ------------------------------------------
    with page.expect_download() as download_info:
        page.locator("main section a[download]").first.click()
    download = download_info.value
    assert download.suggested_filename.endswith(".json")
    data = json.loads(Path(download.path()).read_text(encoding="utf-8"))
    assert address in json.dumps(data, ensure_ascii=False), "the export lacks the own e-mail address"
    visit.assert_no_errors()

    # -- account deletion: explained, refused without choices, then done ---------------------------
    follow(visit, lambda: page.locator('main a[href^="/konto/loeschen"]').first.click())
    check_page(visit, lang)
    assert page.locator("main h2").count() >= 1, "the deletion page explains nothing"
    follow(visit, submit_button(page))
    check_page(visit, lang)
    assert_field_error(page, "mode", text["mode"])
    assert_field_error(page, "confirm", text["confirm"])
    page.locator("#mode-0").check()
    page.locator("#password").fill(PASSWORD)
    page.locator("#confirm").check()
    follow(visit, submit_button(page))
    check_page(visit, lang)
    assert text["deleted"] in page.locator(".flash-messages").inner_text()
    assert page.locator(".account-menu a[href^='/anmelden']").count() == 1, "still signed in"

    # -- the old address and password no longer open anything -----------------------------------
    visit(with_lang("/anmelden", lang))
    page.locator("#email").fill(address)
    page.locator("#password").fill(PASSWORD)
    follow(visit, submit_button(page))
    check_page(visit, lang)
    assert text["wrong_login"] in page.locator("#error-summary").inner_text()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_other_account_pages_and_their_errors(
    page: Page, visit: Visitor, signed_in: Callable[..., LiveUser], lang: str
) -> None:
    """E-mail change, password change, two-factor set-up and the visitor's password-reset form:
    each checked as it comes and after a wrong submit."""
    user = signed_in(lang=lang)

    visit("/konto/e-mail")
    check_page(visit, lang)
    page.locator("#new_email").fill("neue-adresse.example.org")
    follow(visit, submit_button(page))
    check_page(visit, lang)
    assert_field_error(page, "new_email")
    assert_field_error(page, "password")
    assert page.locator("#new_email").input_value() == "neue-adresse.example.org"

    visit("/konto/passwort")
    check_page(visit, lang)
    page.locator("#current_password").fill("wrong current password")
    page.locator("#password").fill("kurz")
    page.locator("#password_confirm").fill("kurz")
    follow(visit, submit_button(page))
    check_page(visit, lang)
    assert_field_error(page, "password")

    visit("/konto/zwei-faktor")
    check_page(visit, lang)
    page.locator("#code").fill("12ab")
    follow(visit, submit_button(page))
    check_page(visit, lang)
    assert_field_error(page, "code")
    assert page.locator("#code").input_value() == "12ab"

    # signed out, the reset form (a visitor's page)
    follow(visit, lambda: page.locator(".account-menu form button[type=submit]").click())
    check_page(visit, lang)
    visit("/passwort-vergessen")
    check_page(visit, lang)
    page.locator("#email").fill(user.email.replace("@", " at "))
    follow(visit, submit_button(page))
    check_page(visit, lang)
    assert_field_error(page, "email")
    assert page.locator("#email").input_value() == user.email.replace("@", " at ")


@run_last
def test_account_pages_are_valid_html(html_checker: HtmlChecker) -> None:
    """Every page of this module (and any collected before) through the Nu checker."""
    assert_html_valid(html_checker)
