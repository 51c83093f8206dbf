"""priorities: ballots and allocations

Revision ID: 0005
Revises: 0001
Create Date: 2026-11-25 01:26:35.905035

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade():
    # Reviewed: only this domain's tables (priority_ballots, priority_allocations).
    op.create_table('priority_ballots',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('citizen', 'municipal', name='ballotkind', native_enum=False, length=32), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('municipality_id', sa.Integer(), nullable=True),
    sa.Column('cast_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("(kind = 'citizen' AND municipality_id IS NULL) OR (kind = 'municipal' AND municipality_id IS NOT NULL AND user_id IS NULL)", name=op.f('ck_priority_ballots_owner_matches_kind')),
    sa.ForeignKeyConstraint(['cast_by_id'], ['users.id'], name=op.f('fk_priority_ballots_cast_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['municipality_id'], ['municipalities.id'], name=op.f('fk_priority_ballots_municipality_id_municipalities'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_priority_ballots_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_priority_ballots')),
    sa.UniqueConstraint('municipality_id', name=op.f('uq_priority_ballots_municipality_id')),
    sa.UniqueConstraint('user_id', name=op.f('uq_priority_ballots_user_id'))
    )
    op.create_table('priority_allocations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ballot_id', sa.Integer(), nullable=False),
    sa.Column('subgoal_id', sa.Integer(), nullable=False),
    sa.Column('points', sa.Integer(), nullable=False),
    sa.CheckConstraint('points > 0', name=op.f('ck_priority_allocations_points_positive')),
    sa.ForeignKeyConstraint(['ballot_id'], ['priority_ballots.id'], name=op.f('fk_priority_allocations_ballot_id_priority_ballots'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['subgoal_id'], ['subgoals.id'], name=op.f('fk_priority_allocations_subgoal_id_subgoals'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_priority_allocations')),
    sa.UniqueConstraint('ballot_id', 'subgoal_id', name=op.f('uq_priority_allocations_ballot_id_subgoal_id'))
    )
    with op.batch_alter_table('priority_allocations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_priority_allocations_subgoal_id'), ['subgoal_id'], unique=False)



def downgrade():
    # Reviewed: only this domain's tables (priority_ballots, priority_allocations).
    with op.batch_alter_table('priority_allocations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_priority_allocations_subgoal_id'))

    op.drop_table('priority_allocations')
    op.drop_table('priority_ballots')
