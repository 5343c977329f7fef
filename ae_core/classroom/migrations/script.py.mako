"""${message}

Revision ${up_revision}, after ${down_revision | comma,n}. Migrations never import the app's tables
(ae_core/classroom/schema.py): each keeps the shape of its own time.
"""

import sqlalchemy as sa
from alembic import op

revision = ${repr(up_revision)}
down_revision = ${repr(down_revision)}
branch_labels = None
depends_on = None


def upgrade() -> None:
    ${upgrades if upgrades else "pass"}


def downgrade() -> None:
    ${downgrades if downgrades else "pass"}
