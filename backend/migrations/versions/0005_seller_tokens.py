"""seller tokens

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-06 05:00:00
"""
from alembic import op
import sqlalchemy as sa
import backend.models


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('seller_tokens',
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('seller_id', sa.String(length=32), nullable=False),
    sa.Column('issued_at', backend.models.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['seller_id'], ['sellers.id'], ),
    sa.PrimaryKeyConstraint('token_hash')
    )
    with op.batch_alter_table('seller_tokens', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_seller_tokens_seller_id'), ['seller_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('seller_tokens', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_seller_tokens_seller_id'))
    op.drop_table('seller_tokens')
