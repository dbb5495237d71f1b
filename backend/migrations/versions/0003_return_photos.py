"""return photos

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-06 04:55:00
"""
from alembic import op
import sqlalchemy as sa
import backend.models


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('return_photos',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('order_number', sa.String(length=8), nullable=False),
    sa.Column('slot', sa.String(length=16), nullable=False),
    sa.Column('width', sa.Integer(), nullable=False),
    sa.Column('height', sa.Integer(), nullable=False),
    sa.Column('fingerprint', sa.String(length=16), nullable=False),
    sa.Column('taken_at', backend.models.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['order_number'], ['orders.number'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('order_number', 'slot')
    )
    with op.batch_alter_table('return_photos', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_return_photos_order_number'), ['order_number'], unique=False)
        batch_op.create_index(batch_op.f('ix_return_photos_taken_at'), ['taken_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('return_photos', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_return_photos_taken_at'))
        batch_op.drop_index(batch_op.f('ix_return_photos_order_number'))
    op.drop_table('return_photos')
