"""Benchmark the plugin against a real Keystone and Cinder on loopback.

``python -m tools.benchmark`` (``tox -e benchmark``) starts the servers
through ``tests.harness``, seeds backups and runs the suites asked for;
each prints a table and its budgets, and the run exits 1 when one is
missed.  See doc/source/performance.rst.

- ``listing``: the member's listing against OSC, cinderclient and a plain
  HTTP loop; import cost, CPU, wall against the sequential floor, memory.
- ``admin``: every project's backups as admin (``--all-projects``).
- ``pages``: concurrent pages against sequential, direct and delayed.
- ``prune``: a prune plan's memory and requests (one listing).
"""
