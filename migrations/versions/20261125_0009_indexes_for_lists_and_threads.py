"""indexes for lists and threads: every list sort, filter and the comment thread served by an index

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-25 07:00:00

The proposal lists (per Unterziel, per municipality, overall) sort by supports, newest or
comments: each sort gets a composite index that an index scan reads in order and stops after one
page. They replace the single-column indexes on ``subgoal_id`` and ``municipality_id`` (their
first column serves those lookups). Comments get ``parent_id`` (the replies of a page are loaded
by ``parent_id IN (…)``, which scanned the whole table) and the thread order replaces
(proposal_id, parent_id). PostgreSQL's search index stops collecting new entries in a pending
list (``fastupdate``): every search scanned that list linearly until the next vacuum, 25 ms
instead of 0.3 ms after a bulk load; proposals are written rarely, searched often. See
docs/performance.md, "Queries, indexes and EXPLAIN".
"""

from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

PROPOSAL_INDEXES = [
    ("ix_proposals_subgoal_supports", ["subgoal_id", "supports_count", "id"]),
    ("ix_proposals_subgoal_published", ["subgoal_id", "published_at", "id"]),
    ("ix_proposals_subgoal_comments", ["subgoal_id", "comments_count", "id"]),
    ("ix_proposals_municipality_supports", ["municipality_id", "supports_count", "id"]),
    ("ix_proposals_municipality_published", ["municipality_id", "published_at", "id"]),
    ("ix_proposals_supports", ["supports_count", "id"]),
    ("ix_proposals_comments", ["comments_count", "id"]),
]


def upgrade():
    for name, columns in PROPOSAL_INDEXES:
        op.create_index(name, "proposals", columns)
    op.drop_index("ix_proposals_subgoal_id", table_name="proposals")
    op.drop_index("ix_proposals_municipality_id", table_name="proposals")
    op.create_index("ix_comments_parent_id", "comments", ["parent_id"])
    op.create_index("ix_comments_thread", "comments", ["proposal_id", "parent_id", "created_at", "id"])
    op.drop_index("ix_comments_proposal_id_parent_id", table_name="comments")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER INDEX fts_proposals_search SET (fastupdate = off)")
        op.execute("SELECT gin_clean_pending_list('fts_proposals_search'::regclass)")


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER INDEX fts_proposals_search RESET (fastupdate)")
    op.create_index("ix_comments_proposal_id_parent_id", "comments", ["proposal_id", "parent_id"])
    op.drop_index("ix_comments_thread", table_name="comments")
    op.drop_index("ix_comments_parent_id", table_name="comments")
    op.create_index("ix_proposals_municipality_id", "proposals", ["municipality_id"])
    op.create_index("ix_proposals_subgoal_id", "proposals", ["subgoal_id"])
    for name, _columns in reversed(PROPOSAL_INDEXES):
        op.drop_index(name, table_name="proposals")
