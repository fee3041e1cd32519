"""The reports the client computes from listings: summary, coverage,
metrics, and the names shown beside their IDs."""
