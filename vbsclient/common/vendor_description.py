"""VBS's description form ``{"DESC": ..., "INC": 0|1}``, decoded.

The vendor stores whether a backup is incremental inside its description;
every view of a backup (list, show, summary) decodes it here, alike.
"""

import json


def decode(description, is_incremental):
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


def is_incremental(backup):
    """Whether the backup (a dict as the server sent it) is incremental."""
    return decode(backup.get('description'), backup.get('is_incremental'))[1]
