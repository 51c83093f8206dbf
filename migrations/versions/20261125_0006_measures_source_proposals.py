"""measures: source proposals

Revision ID: 0006
Revises: 0003
Create Date: 2026-11-25 01:52:48.088640

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0006'
down_revision = '0005'
branch_labels = None
# The link table points at measures (0004) as well as at proposals (0003).
depends_on = None


def upgrade():
    op.create_table('measure_proposals',
    sa.Column('measure_id', sa.Integer(), nullable=False),
    sa.Column('proposal_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['measure_id'], ['measures.id'], name=op.f('fk_measure_proposals_measure_id_measures'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['proposal_id'], ['proposals.id'], name=op.f('fk_measure_proposals_proposal_id_proposals'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('measure_id', 'proposal_id', name=op.f('pk_measure_proposals'))
    )
    with op.batch_alter_table('measure_proposals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_measure_proposals_proposal_id'), ['proposal_id'], unique=False)


def downgrade():
    with op.batch_alter_table('measure_proposals', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_measure_proposals_proposal_id'))

    op.drop_table('measure_proposals')
