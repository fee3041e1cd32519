"""Reports over a project's backups: summary, coverage and metrics, and
the names shown beside their IDs."""
