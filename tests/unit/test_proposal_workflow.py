"""The transition table of the proposal workflow (DESIGN.md), checked without a database."""

from __future__ import annotations

import pytest

import portal.proposals.permissions  # noqa: F401  (registers the rules the table names)
from portal.core.permissions import registered_rules
from portal.proposals.models import ProposalStatus as S
from portal.proposals.workflow import FINAL_STATUSES
from portal.proposals.workflow import TRANSITIONS
from portal.proposals.workflow import Answer
from portal.proposals.workflow import find_edge
from portal.proposals.workflow import targets_from

#: DESIGN.md "Proposal workflow", transcribed: (from, to, answer required?, moderator?).
DESIGN = {
    (None, S.SUBMITTED): (Answer.NONE, False),
    (S.SUBMITTED, S.PUBLISHED): (Answer.NONE, True),
    (S.SUBMITTED, S.UNDER_REVIEW): (Answer.OPTIONAL, True),
    (S.PUBLISHED, S.UNDER_REVIEW): (Answer.OPTIONAL, True),
    (S.UNDER_REVIEW, S.ACCEPTED): (Answer.REQUIRED, True),
    (S.SUBMITTED, S.REJECTED): (Answer.REQUIRED, True),
    (S.PUBLISHED, S.REJECTED): (Answer.REQUIRED, True),
    (S.UNDER_REVIEW, S.REJECTED): (Answer.REQUIRED, True),
    (S.SUBMITTED, S.MERGED): (Answer.REQUIRED, True),
    (S.PUBLISHED, S.MERGED): (Answer.REQUIRED, True),
    (S.UNDER_REVIEW, S.MERGED): (Answer.REQUIRED, True),
    (S.SUBMITTED, S.WITHDRAWN): (Answer.NONE, False),
    (S.PUBLISHED, S.WITHDRAWN): (Answer.NONE, False),
    (S.UNDER_REVIEW, S.WITHDRAWN): (Answer.NONE, False),
    # "a moderator may reopen rejected to under_review with an answer"
    (S.REJECTED, S.UNDER_REVIEW): (Answer.REQUIRED, True),
}


def test_the_table_is_exactly_the_design():
    table = {(edge.source, edge.target): (edge.answer, edge.moderator) for edge in TRANSITIONS}
    assert table == DESIGN
    assert len(TRANSITIONS) == len(table), "an edge is listed twice"


@pytest.mark.parametrize("edge", TRANSITIONS, ids=lambda e: f"{e.source}->{e.target}")
def test_every_edge_names_a_registered_rule(edge):
    assert edge.rule in registered_rules()


def test_every_status_is_reachable_from_a_new_proposal():
    reached = {None}
    frontier = [None]
    while frontier:
        status = frontier.pop()
        for target in targets_from(status):
            if target not in reached:
                reached.add(target)
                frontier.append(target)
    assert reached - {None} == set(S)


@pytest.mark.parametrize("status", sorted(FINAL_STATUSES - {S.REJECTED}))
def test_no_edge_leaves_a_final_status(status):
    assert targets_from(status) == []


def test_rejected_can_only_be_reopened():
    assert targets_from(S.REJECTED) == [S.UNDER_REVIEW]
    assert find_edge(S.REJECTED, S.UNDER_REVIEW).rule == "proposals.reopen"


@pytest.mark.parametrize("target", [S.ACCEPTED, S.REJECTED, S.MERGED])
def test_decisions_require_an_answer(target):
    edges = [edge for edge in TRANSITIONS if edge.target is target]
    assert edges and all(edge.answer is Answer.REQUIRED for edge in edges)


def test_only_the_author_edges_are_not_moderator_actions():
    authors = {(edge.source, edge.target) for edge in TRANSITIONS if not edge.moderator}
    assert {target for _source, target in authors} == {S.SUBMITTED, S.WITHDRAWN}


def test_unknown_edges_are_none():
    assert find_edge(S.ACCEPTED, S.PUBLISHED) is None
    assert find_edge(S.PUBLISHED, S.SUBMITTED) is None
    assert find_edge(S.PUBLISHED, S.ACCEPTED) is None  # acceptance needs a review first
