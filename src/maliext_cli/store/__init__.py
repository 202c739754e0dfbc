"""Opening the database, migrations, queries and the single write path."""

from maliext_cli.store.database import Store, new_uid, utc_now

__all__ = ["Store", "new_uid", "utc_now"]
