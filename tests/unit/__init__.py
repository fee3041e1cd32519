"""Unit tier: in-process, no server processes, no subprocesses.

The hypothesis profiles of every property test are registered here, the
one place: ``unit`` (few examples, the default, so the tier runs in
seconds) and ``ci`` (many, for the CI-only ``tox -e slow``), chosen by
``VBS_HYPOTHESIS_PROFILE``.  Both are derandomized: a run is repeatable and
writes no example database.
"""

import os

import hypothesis

for _name, _examples in (('unit', 20), ('ci', 200)):
    hypothesis.settings.register_profile(
        _name, max_examples=_examples, deadline=None, derandomize=True)
hypothesis.settings.load_profile(
    os.environ.get('VBS_HYPOTHESIS_PROFILE', 'unit'))
