"""Rows into Cinder's sqlite database, the way the harness writes them all.

One write transaction per call, only the columns a table has, values in
Cinder's text forms (times with microseconds, booleans as 0 and 1).
"""

import contextlib
import datetime
import sqlite3

DB_TIME_FORMAT = '%Y-%m-%d %H:%M:%S.%f'


def connect(db_path):
    conn = sqlite3.connect(db_path, timeout=60, isolation_level=None)
    return conn


def _columns(conn, table='backups'):
    return [row[1] for row in conn.execute('PRAGMA table_info(%s)' % table)]


def to_db(value):
    if isinstance(value, datetime.datetime):
        return value.strftime(DB_TIME_FORMAT)
    if isinstance(value, bool):
        return int(value)
    return value


@contextlib.contextmanager
def writing(db_path):
    """A connection inside one write transaction, committed at the end."""
    conn = connect(db_path)
    try:
        conn.execute('BEGIN IMMEDIATE')
        try:
            yield conn
            conn.execute('COMMIT')
        except BaseException:
            conn.execute('ROLLBACK')
            raise
    finally:
        conn.close()


def table_columns(conn, db_path, table='backups'):
    columns = _columns(conn, table)
    if not columns:
        raise RuntimeError('%s has no %s table (db sync missing?)'
                           % (db_path, table))
    return columns


def insert(conn, columns, rows, table='backups'):
    """Insert rows (dicts of DB values, alike) into the columns it has."""
    usable = [c for c in columns if c in rows[0]]
    conn.executemany('INSERT INTO %s (%s) VALUES (%s)' % (
        table, ', '.join(usable), ', '.join('?' * len(usable))),
        [[row[c] for c in usable] for row in rows])


def insert_rows(db_path, table, rows):
    """Insert dicts into ``table``, keeping the keys the table has."""
    with writing(db_path) as conn:
        insert(conn, table_columns(conn, db_path, table),
               [{k: to_db(v) for k, v in row.items()} for row in rows],
               table)
