"""How backups become rows: the columns shown and show's fields."""

from cliff import columns as cliff_columns

from vbsclient import backup as backup_mod
from vbsclient.common import backup_fields as fields

LIST_COLUMNS = fields.LIST
LONG_COLUMNS = fields.LONG
# --all-projects and --project add the owner to the default columns.
SCOPED_COLUMNS = fields.LIST + (fields.PROJECT_ID,)


class Missing(cliff_columns.FormattableColumn):
    """A value the server left out or sent as null, shown empty in tables."""

    def human_readable(self):
        return ''

    def machine_readable(self):
        return None

    # Sort after every real value, as cliff sorts None.
    def __lt__(self, other):
        return False

    def __gt__(self, other):
        return not isinstance(other, Missing)


MISSING = Missing(None)


def headers(keys):
    return tuple(fields.label(key) for key in keys)


def row(backup, keys):
    """The row for one Backup; a field the server left out is None.

    Values are as the server wrote them (timestamps too), but the
    description and Incremental, decoded as ``Backup`` decodes them.
    """
    description, incremental = backup_mod.vendor_description(
        backup.raw('description'), backup.raw('is_incremental'))
    values = []
    for key in keys:
        if key == 'description':
            values.append(description)
        elif key == 'is_incremental':
            values.append(incremental)
        else:
            values.append(backup.raw(key))
    return tuple(values)


def shown_keys(backup):
    """Every field the server sent but links (``backup``: its dict).

    The table's order first, then any others by name.
    """
    known = [f.key for f in fields.FIELDS if f.key in backup]
    others = sorted(k for k in backup
                    if k not in fields.BY_KEY and k not in fields.HIDDEN)
    return tuple(known + others)


def blank_missing(row):
    """For tables: None becomes an empty cell instead of "None"."""
    return tuple(MISSING if v is None else v for v in row)
