"""Reading listings exactly: the choice of how (plan), page by page,
concurrently, and by ordered search of a window's edges; and whether
the server kept the scope asked for."""
