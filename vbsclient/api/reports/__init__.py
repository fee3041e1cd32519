"""Reports over a project's backups: summary, coverage and metrics."""
