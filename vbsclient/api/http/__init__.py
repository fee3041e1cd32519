"""HTTP: one GET on a resolved endpoint, its retries and its deadline."""
