"""In a real browser, pages holding XSS payloads run none of them: no dialog, no console error,
no CSP violation, no script-created marker, and the payload text is visible as text."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import Page
from sqlalchemy import select

from portal.extensions import db
from tests.browser.helpers import BrowserErrors

pytestmark = pytest.mark.browser

CORPUS = Path(__file__).resolve().parents[1] / "xss_payloads.txt"
PAYLOADS = [
    line
    for line in CORPUS.read_text(encoding="utf-8").splitlines()
    if line.strip() and not line.startswith("#:")
]
#: A sample spread over the corpus (every kind of trick), one proposal holding several each.
SAMPLE = PAYLOADS[::3]
PER_PROPOSAL = 8

WATCH = """
window.__xss = [];
for (const name of ['alert', 'confirm', 'prompt', 'print']) {
  window[name] = (...args) => { window.__xss.push(name + ':' + args.join(',')); };
}
document.addEventListener('securitypolicyviolation', (e) => {
  window.__xss.push('csp:' + e.violatedDirective + ':' + e.blockedURI);
});
"""


@pytest.fixture(scope="module")
def payload_pages(live_app: Flask) -> list[str]:
    """Proposals whose titles, bodies and comments hold the sample payloads; their paths."""
    from portal.accounts.models import User
    from portal.comments import services as comment_services
    from portal.proposals import services
    from portal.proposals.models import CostClass
    from portal.proposals.models import Horizon
    from portal.strategy.models import SubGoal

    paths = []
    with live_app.test_request_context():
        author = User(email="xss@example.org", display_name='Eve "><img src=x onerror=alert(1)>',
                      email_verified_at=None, language="de")  # fmt: skip
        db.session.add(author)
        db.session.flush()
        subgoal = db.session.scalar(select(SubGoal).where(SubGoal.number == "1.1"))
        for start in range(0, len(SAMPLE), PER_PROPOSAL):
            chunk = SAMPLE[start : start + PER_PROPOSAL]
            proposal = services.create_proposal(
                author,
                services.ProposalData(
                    subgoal_id=subgoal.id, focus_area_id=None, title=f"XSS {start}: {chunk[0]}"[:150],
                    body="\n\n".join(chunk), municipality_id=None, horizon=Horizon.SHORT,
                    cost_class=CostClass.MEDIUM,
                ),
            )  # fmt: skip
            db.session.flush()
            for payload in chunk:
                comment_services.post_comment(proposal, author, payload)
            paths.append(f"/vorschlaege/{proposal.id}")
        db.session.commit()
    paths += ["/vorschlaege", "/vorschlaege?q=%3Cscript%3Ealert(1)%3C/script%3E", "/"]
    return paths


def test_no_payload_executes(page: Page, base_url: str, payload_pages: list[str]) -> None:
    errors = BrowserErrors()
    errors.watch(page)
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.add_init_script(WATCH)
    for path in payload_pages:
        response = page.goto(base_url + path)
        assert response is not None and response.status == 200, path
        page.wait_for_load_state("load")
        page.mouse.move(200, 300)
        page.keyboard.press("Tab")
        fired = page.evaluate("window.__xss")
        assert not fired, f"{path}: {fired}"
        assert not dialogs, f"{path}: dialogs {dialogs}"
        assert not errors.messages, f"{path}:\n{errors}"
    # Shown as text: the visitor reads the payload instead of running it.
    page.goto(base_url + payload_pages[0])
    assert "<script>alert(1)</script>" in page.inner_text("main") or "alert(1)" in page.inner_text("main")
