"""Opening the database, migrations, queries and the single write path."""

from maliext_cli.store.database import Store, utc_now
from maliext_cli.store.uids import new_uid

__all__ = ["Store", "new_uid", "utc_now"]
