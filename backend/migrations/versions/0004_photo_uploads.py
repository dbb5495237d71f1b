"""photo uploads

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-06 04:50:00
"""
from alembic import op
import sqlalchemy as sa
import backend.models


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('photo_uploads',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('order_number', sa.String(length=8), nullable=False),
    sa.Column('source', sa.String(length=64), nullable=False),
    sa.Column('at', backend.models.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('photo_uploads', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_photo_uploads_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_photo_uploads_order_number'), ['order_number'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('photo_uploads', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_photo_uploads_order_number'))
        batch_op.drop_index(batch_op.f('ix_photo_uploads_at'))
    op.drop_table('photo_uploads')
