"""Turning Python parameters into the API query and checking them: filters,
timestamps, age windows and name look-ups."""
