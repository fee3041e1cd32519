"""lower-constraints.txt pins exactly the lower bounds of requirements.txt."""

import os
import re

import testtools

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))


def read(name, pattern):
    """{package: version} from the lines of ``name`` matching ``pattern``."""
    found = {}
    with open(os.path.join(ROOT, name)) as fh:
        for line in fh:
            line = line.split('#')[0].strip()
            if not line:
                continue
            match = re.fullmatch(pattern, line)
            if match is None:
                raise AssertionError('%s: cannot read %r' % (name, line))
            found[match.group(1).lower()] = match.group(2)
    return found


class TestLowerConstraints(testtools.TestCase):

    def test_pins_are_the_lower_bounds(self):
        bounds = read('requirements.txt',
                      r'([A-Za-z0-9._-]+)\s*>=\s*([0-9][^,;\s]*)')
        pins = read('lower-constraints.txt',
                    r'([A-Za-z0-9._-]+)==([0-9][^;\s]*)')
        self.assertEqual(bounds, pins)
