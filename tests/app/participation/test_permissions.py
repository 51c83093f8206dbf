"""Every participation rule × every role, on objects of one's own and of others, in the open phase.

Routes are covered in the other test modules; here the rules themselves, so that buttons (which
ask ``can()``) and views (which ``require()``) share one truth.
"""

from __future__ import annotations

import pytest

from portal.comments import services as comment_services
from portal.core.permissions import can
from portal.core.permissions import registered_rules
from portal.extensions import db
from portal.proposals.models import Proposal
from portal.proposals.models import ProposalStatus
from tests.app.participation.conftest import ROLES
from tests.app.participation.conftest import user

ALL = set(ROLES)
VERIFIED = ALL - {"visitor", "unverified"}
SIGNED_IN = ALL - {"visitor"}
STAFF = {"moderator", "admin"}

#: rule -> (object, roles that may); objects: "public" (by the author), "waiting" (pre-moderation,
#: by the author), "comment" (by the author, on the public proposal), "fresh" (public, nobody has
#: supported or commented it yet), "decided" (accepted), "rejected".
EXPECTED = {
    ("proposals.view", "public"): ALL,
    ("proposals.view", "waiting"): {"author"} | STAFF,
    ("proposals.create", None): VERIFIED,
    ("proposals.edit", "fresh"): {"author"},
    ("proposals.edit", "public"): set(),  # it has a comment
    ("proposals.edit", "waiting"): {"author"},
    ("proposals.withdraw", "public"): {"author"},
    ("proposals.withdraw", "decided"): set(),
    ("proposals.support", "public"): VERIFIED,
    ("proposals.support", "decided"): set(),
    ("proposals.support", "waiting"): set(),
    ("proposals.follow", "public"): VERIFIED,
    ("proposals.follow", "waiting"): {"author"} | STAFF,
    ("proposals.publish", "waiting"): STAFF,
    ("proposals.publish", "public"): set(),
    ("proposals.review", "public"): STAFF,
    ("proposals.accept", "public"): set(),  # needs a review first
    ("proposals.reject", "public"): STAFF,
    ("proposals.merge", "public"): STAFF,
    ("proposals.reopen", "public"): set(),
    ("proposals.reopen", "rejected"): STAFF,
    ("comments.create", "public"): VERIFIED,
    ("comments.create", "decided"): set(),
    ("comments.create", "waiting"): set(),
    ("comments.statement", "public"): {"municipality_rep", "department_staff"},
    ("comments.statement", "decided"): set(),
    ("comments.reply", "comment"): VERIFIED,
    ("comments.edit", "comment"): {"author"},
    ("comments.delete", "comment"): {"author"},
    ("comments.see_hidden", "comment"): {"author"} | STAFF,
    ("flags.create", "public"): SIGNED_IN - {"author"},
    ("flags.create", "comment"): SIGNED_IN - {"author"},
    ("flags.resolve", "public"): STAFF,
    ("notifications.manage", None): SIGNED_IN,
}


def test_every_participation_rule_is_in_the_matrix():
    ours = {
        name
        for name in registered_rules()
        if name.split(".")[0] in ("proposals", "comments", "flags", "notifications")
    }
    assert ours == {rule for rule, _obj in EXPECTED}


@pytest.fixture
def objects(app, people, make_proposal):
    public = make_proposal(people["author"])
    fresh = make_proposal(people["author"])
    waiting = make_proposal(people["author"], published=False)
    decided = make_proposal(people["author"], status=ProposalStatus.ACCEPTED)
    rejected = make_proposal(people["author"], status=ProposalStatus.REJECTED)
    with app.test_request_context():
        comment = comment_services.post_comment(
            db.session.get(Proposal, public), user(people["author"]), "Hallo"
        )
        db.session.commit()
        return {
            "public": public,
            "fresh": fresh,
            "waiting": waiting,
            "decided": decided,
            "rejected": rejected,
            "comment": comment.id,
        }


@pytest.mark.parametrize(("rule", "kind"), list(EXPECTED), ids=[f"{r}:{k}" for r, k in EXPECTED])
def test_rule_matrix(app, people, objects, rule, kind):
    from portal.comments.models import Comment

    with app.test_request_context():
        if kind is None:
            obj = None
        elif kind == "comment":
            obj = db.session.get(Comment, objects["comment"])
        else:
            obj = db.session.get(Proposal, objects[kind])
        allowed = {role for role in ROLES if can(rule, obj, user=user(people[role]))}
    assert allowed == EXPECTED[(rule, kind)]
