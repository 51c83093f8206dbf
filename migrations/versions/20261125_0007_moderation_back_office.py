"""moderation back office: answer templates, departments and assessments, statement requests,
milestone documents

Revision ID: 0007
Revises: 0001
Create Date: 2026-11-25 01:39:34.997960

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0007'
down_revision = '0006'
branch_labels = None
# The tables refer to proposals and comments (0003): run after it while the heads are parallel.
depends_on = None


def upgrade():
    # Reviewed: only this domain's tables (answer_templates, milestone_documents, statement_*,
    # subgoal_routings, assessments, proposal_departments).
    op.create_table('answer_templates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.JSON(), nullable=False),
    sa.Column('text', sa.JSON(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_answer_templates'))
    )
    op.create_table('milestone_documents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('milestone_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.JSON(), nullable=False),
    sa.Column('file_name', sa.String(length=64), nullable=True),
    sa.Column('download_name', sa.String(length=120), nullable=True),
    sa.Column('size', sa.Integer(), nullable=True),
    sa.Column('url', sa.String(length=500), nullable=True),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('(file_name IS NULL) != (url IS NULL)', name=op.f('ck_milestone_documents_file_or_link')),
    sa.ForeignKeyConstraint(['milestone_id'], ['milestones.id'], name=op.f('fk_milestone_documents_milestone_id_milestones'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_milestone_documents')),
    sa.UniqueConstraint('file_name', name=op.f('uq_milestone_documents_file_name'))
    )
    with op.batch_alter_table('milestone_documents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_milestone_documents_milestone_id'), ['milestone_id'], unique=False)

    op.create_table('statement_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('subject', sa.Enum('proposals', 'concept', name='subject', native_enum=False, length=32), nullable=False),
    sa.Column('deadline', sa.Date(), nullable=False),
    sa.Column('reminder_days', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_statement_requests_created_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_statement_requests'))
    )
    with op.batch_alter_table('statement_requests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_statement_requests_deadline'), ['deadline'], unique=False)

    op.create_table('statement_request_municipalities',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('municipality_id', sa.Integer(), nullable=False),
    sa.Column('answered_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('answered_by_id', sa.Integer(), nullable=True),
    sa.Column('reminded_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['answered_by_id'], ['users.id'], name=op.f('fk_statement_request_municipalities_answered_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['municipality_id'], ['municipalities.id'], name=op.f('fk_statement_request_municipalities_municipality_id_municipalities'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['request_id'], ['statement_requests.id'], name=op.f('fk_statement_request_municipalities_request_id_statement_requests'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_statement_request_municipalities')),
    sa.UniqueConstraint('request_id', 'municipality_id', name=op.f('uq_statement_request_municipalities_request_id_municipality_id'))
    )
    with op.batch_alter_table('statement_request_municipalities', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_statement_request_municipalities_municipality_id'), ['municipality_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_statement_request_municipalities_request_id'), ['request_id'], unique=False)

    op.create_table('subgoal_routings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('subgoal_id', sa.Integer(), nullable=False),
    sa.Column('department_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['department_id'], ['departments.id'], name=op.f('fk_subgoal_routings_department_id_departments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['subgoal_id'], ['subgoals.id'], name=op.f('fk_subgoal_routings_subgoal_id_subgoals'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_subgoal_routings')),
    sa.UniqueConstraint('subgoal_id', 'department_id', name=op.f('uq_subgoal_routings_subgoal_id_department_id'))
    )
    with op.batch_alter_table('subgoal_routings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_subgoal_routings_subgoal_id'), ['subgoal_id'], unique=False)

    op.create_table('assessments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('proposal_id', sa.Integer(), nullable=False),
    sa.Column('department_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('feasibility', sa.Enum('feasible', 'conditional', 'not_feasible', 'unclear', name='feasibility', native_enum=False, length=32), nullable=False),
    sa.Column('cost_estimate', sa.Integer(), nullable=True),
    sa.Column('responsibility', sa.Enum('district', 'municipality', 'shared', 'other', name='responsibility', native_enum=False, length=32), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('cost_estimate IS NULL OR cost_estimate >= 0', name=op.f('ck_assessments_cost_not_negative')),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_assessments_author_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['department_id'], ['departments.id'], name=op.f('fk_assessments_department_id_departments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['proposal_id'], ['proposals.id'], name=op.f('fk_assessments_proposal_id_proposals'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assessments')),
    sa.UniqueConstraint('proposal_id', 'department_id', name=op.f('uq_assessments_proposal_id_department_id'))
    )
    with op.batch_alter_table('assessments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_assessments_department_id'), ['department_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_assessments_proposal_id'), ['proposal_id'], unique=False)

    op.create_table('proposal_departments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('proposal_id', sa.Integer(), nullable=False),
    sa.Column('department_id', sa.Integer(), nullable=False),
    sa.Column('assigned_by_id', sa.Integer(), nullable=True),
    sa.Column('assigned_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('routed', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['assigned_by_id'], ['users.id'], name=op.f('fk_proposal_departments_assigned_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['department_id'], ['departments.id'], name=op.f('fk_proposal_departments_department_id_departments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['proposal_id'], ['proposals.id'], name=op.f('fk_proposal_departments_proposal_id_proposals'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_proposal_departments')),
    sa.UniqueConstraint('proposal_id', 'department_id', name=op.f('uq_proposal_departments_proposal_id_department_id'))
    )
    with op.batch_alter_table('proposal_departments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_proposal_departments_department_id'), ['department_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_proposal_departments_proposal_id'), ['proposal_id'], unique=False)

    op.create_table('statement_request_proposals',
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('proposal_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['proposal_id'], ['proposals.id'], name=op.f('fk_statement_request_proposals_proposal_id_proposals'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['request_id'], ['statement_requests.id'], name=op.f('fk_statement_request_proposals_request_id_statement_requests'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('request_id', 'proposal_id', name=op.f('pk_statement_request_proposals'))
    )
    with op.batch_alter_table('statement_request_proposals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_statement_request_proposals_proposal_id'), ['proposal_id'], unique=False)

    op.create_table('statement_answers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('asked_id', sa.Integer(), nullable=False),
    sa.Column('proposal_id', sa.Integer(), nullable=True),
    sa.Column('comment_id', sa.Integer(), nullable=True),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('body_html', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['asked_id'], ['statement_request_municipalities.id'], name=op.f('fk_statement_answers_asked_id_statement_request_municipalities'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['comment_id'], ['comments.id'], name=op.f('fk_statement_answers_comment_id_comments'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['proposal_id'], ['proposals.id'], name=op.f('fk_statement_answers_proposal_id_proposals'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_statement_answers'))
    )
    with op.batch_alter_table('statement_answers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_statement_answers_asked_id'), ['asked_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_statement_answers_proposal_id'), ['proposal_id'], unique=False)



def downgrade():
    # Reviewed: only this domain's tables.
    with op.batch_alter_table('statement_answers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_statement_answers_proposal_id'))
        batch_op.drop_index(batch_op.f('ix_statement_answers_asked_id'))

    op.drop_table('statement_answers')
    with op.batch_alter_table('statement_request_proposals', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_statement_request_proposals_proposal_id'))

    op.drop_table('statement_request_proposals')
    with op.batch_alter_table('proposal_departments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_proposal_departments_proposal_id'))
        batch_op.drop_index(batch_op.f('ix_proposal_departments_department_id'))

    op.drop_table('proposal_departments')
    with op.batch_alter_table('assessments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_assessments_proposal_id'))
        batch_op.drop_index(batch_op.f('ix_assessments_department_id'))

    op.drop_table('assessments')
    with op.batch_alter_table('subgoal_routings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_subgoal_routings_subgoal_id'))

    op.drop_table('subgoal_routings')
    with op.batch_alter_table('statement_request_municipalities', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_statement_request_municipalities_request_id'))
        batch_op.drop_index(batch_op.f('ix_statement_request_municipalities_municipality_id'))

    op.drop_table('statement_request_municipalities')
    with op.batch_alter_table('statement_requests', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_statement_requests_deadline'))

    op.drop_table('statement_requests')
    with op.batch_alter_table('milestone_documents', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_milestone_documents_milestone_id'))

    op.drop_table('milestone_documents')
    op.drop_table('answer_templates')
