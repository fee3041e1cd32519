"""Fail when built HTML shows an option name that cannot be copied.

Sphinx's smart quotes turn ``--name`` into ``–name`` (an en dash), which
no shell accepts.  Run after ``sphinx-build``::

    python -m tests.check_html doc/build/html --require=--os-vbs-timeout
"""

import argparse
import html
import os
import re
import sys

# A dash that starts a word: an option name whose "--" was typeset.
_DASHED_OPTION = re.compile(r'(?<![\w-])[\u2013\u2014]-?[A-Za-z][\w-]*')


def mangled_options(text):
    """The option-like words of ``text`` that start with an en/em dash."""
    return _DASHED_OPTION.findall(text)


def problems(build_dir, required=(), forbidden=()):
    """Messages: mangled options, forbidden and missing required text."""
    found = []
    missing = set(required)
    pages = 0
    for top, _dirs, files in os.walk(build_dir):
        for name in sorted(files):
            if not name.endswith('.html'):
                continue
            pages += 1
            path = os.path.join(top, name)
            page = os.path.relpath(path, build_dir)
            with open(path, encoding='utf-8') as fh:
                text = html.unescape(fh.read())
            found.extend('%s: %r is not an option name anyone can type'
                         % (page, word)
                         for word in sorted(set(mangled_options(text))))
            found.extend('%s: %r must not appear' % (page, s)
                         for s in forbidden if s in text)
            missing = {s for s in missing if s not in text}
    if not pages:
        found.append('%s: no HTML pages' % build_dir)
    found.extend('%r appears in no page of %s' % (s, build_dir)
                 for s in sorted(missing))
    return found


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('build_dir')
    parser.add_argument('--require', action='append', default=[],
                        metavar='TEXT',
                        help='text that must appear literally (repeatable)')
    parser.add_argument('--forbid', action='append', default=[],
                        metavar='TEXT',
                        help='text no page may contain (repeatable)')
    args = parser.parse_args(argv)
    found = problems(args.build_dir, args.require, args.forbid)
    for line in found:
        print(line, file=sys.stderr)
    return 1 if found else 0


if __name__ == '__main__':
    sys.exit(main())
