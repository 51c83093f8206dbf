"""goal plain summary: an Oberziel may carry a summary in Einfache Sprache (plain German)

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-25 12:00:00

"""
import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade():
    # Existing goals have no summary yet: an empty mapping, like a file without plain_summary.
    with op.batch_alter_table("goals") as batch:
        batch.add_column(sa.Column("plain_summary", sa.JSON(), server_default="{}", nullable=False))


def downgrade():
    with op.batch_alter_table("goals") as batch:
        batch.drop_column("plain_summary")
