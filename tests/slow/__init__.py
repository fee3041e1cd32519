"""Slow tier: tests that start processes, a pty or a nested test runner,
or wait on real clocks (tox -e slow, one Python; tools/run-tests runs it)."""
