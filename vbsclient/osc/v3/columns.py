"""How backups become rows: the columns shown, show's fields, and the
vendor's description form."""

import json

from cliff import columns as cliff_columns

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
    """The row for one backup; a field the server left out is None."""
    description, incremental = vendor_description(
        backup.get('description'), backup.get('is_incremental'))
    values = []
    for key in keys:
        if key == 'description':
            values.append(description)
        elif key == 'is_incremental':
            values.append(incremental)
        else:
            values.append(backup.get(key))
    return tuple(values)


def shown_keys(backup):
    """Every field the server sent but links.

    The table's order first, then any others by name.
    """
    known = [f.key for f in fields.FIELDS if f.key in backup]
    others = sorted(k for k in backup
                    if k not in fields.BY_KEY and k not in fields.HIDDEN)
    return tuple(known + others)


def blank_missing(row):
    """For tables: None becomes an empty cell instead of "None"."""
    return tuple(MISSING if v is None else v for v in row)


def vendor_description(description, is_incremental):
    """Unpack VBS's ``{"DESC": ..., "INC": 0|1}`` description form.

    Returns (description, is_incremental); anything else is kept as it is.
    """
    if not isinstance(description, str) or not description.startswith('{'):
        return description, is_incremental
    try:
        data = json.loads(description)
    except ValueError:
        return description, is_incremental
    if not isinstance(data, dict) or 'DESC' not in data:
        return description, is_incremental
    inc = data.get('INC')
    if inc in (0, 1, '0', '1') and not isinstance(inc, bool):
        is_incremental = int(inc) == 1
    return data['DESC'], is_incremental
