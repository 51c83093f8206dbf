"""The portal's blinker signals: domains announce what happened, others (notifications) listen.

Senders pass the changed object as ``sender`` and details as keyword arguments; receivers run in
the same request and transaction, so what they write (outbox mail) commits with the change.
"""

from __future__ import annotations

from blinker import Namespace

portal_signals = Namespace()

#: A proposal changed its status: ``sender`` = the proposal, ``change`` = ProposalStatusChange, ``actor``.
proposal_status_changed = portal_signals.signal("proposal-status-changed")

#: A comment (or official statement, or reply) was posted: ``sender`` = the comment.
comment_posted = portal_signals.signal("comment-posted")
