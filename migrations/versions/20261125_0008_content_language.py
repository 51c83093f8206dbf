"""content language: proposals and comments remember the language their author wrote in

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-25 06:40:00

"""
import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade():
    # Existing texts were written in the German-first portal: "de".
    with op.batch_alter_table("proposals") as batch:
        batch.add_column(sa.Column("language", sa.String(length=8), server_default="de", nullable=False))
    with op.batch_alter_table("comments") as batch:
        batch.add_column(sa.Column("language", sa.String(length=8), server_default="de", nullable=False))


def downgrade():
    with op.batch_alter_table("comments") as batch:
        batch.drop_column("language")
    with op.batch_alter_table("proposals") as batch:
        batch.drop_column("language")
