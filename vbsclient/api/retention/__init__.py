"""Retention: which backups a keep policy removes, why, and in what order.

Pure functions over lists of :class:`vbsclient.backup.Backup`; nothing
here sends a request.
"""
