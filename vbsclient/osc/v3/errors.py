"""The library's errors in the CLI's words: one table of option names.

The library names a parameter or setting by its Python keyword; the CLI
shows the option (or variable) that set it, so every message reads as the
user typed it.
"""

import argparse
import contextlib
import warnings

from vbsclient import exceptions
from vbsclient.osc import options
from vbsclient.osc.v3 import arguments

# Terms no option's dest names (how the CLI says them).
IRREGULAR = {
    'sort:name': '--sort name',
    'count': '"vbs backup count"',
    'verify': '--os-cacert <file>, OS_CACERT or "cacert" in clouds.yaml',
}


class _Recorder(argparse.ArgumentParser):
    """A parser that notes the first option string of each dest."""

    def __init__(self):
        super().__init__(add_help=False)
        self.names = {}

    def _add_action(self, action):
        # Every option comes here, those of argument groups too.
        action = super()._add_action(action)
        if action.option_strings:
            self.names.setdefault(action.dest, action.option_strings[0])
        return action


def names_of(add_options, table=options.OPTIONS):
    """{library term: CLI words}, from the options themselves.

    Each dest as its option, from the parser that ``add_options`` fill;
    each setting as its global option, from ``table``; the group keys
    spelt otherwise; then IRREGULAR.
    """
    parser = _Recorder()
    for add in add_options:
        add(parser)
    names = dict(parser.names)
    names.update((o.setting.name, o.option) for o in table)
    # A group key spelt otherwise (availability-zone); the others are
    # spelt alike, and some name filters too.
    names.update((key, spelt) for key, spelt in arguments.GROUP_KEYS.items()
                 if spelt != key)
    names.update(IRREGULAR)
    return names


# Library term -> how the CLI names it: the options' dests are the
# library's keywords (arguments.py), the settings' rows are options.py's.
OPTION_NAMES = names_of((arguments.add_filters, arguments.add_paging,
                         arguments.add_group_by, arguments.add_max_age,
                         arguments.add_policy))


def in_cli_words(error, names=None):
    """``error``'s message as the CLI shows it."""
    return error.reword(OPTION_NAMES if names is None else names)


@contextlib.contextmanager
def option_names():
    """Re-raise library errors worded with option names."""
    try:
        yield
    except exceptions.VBSError as e:
        e.args = (in_cli_words(e),)
        raise


@contextlib.contextmanager
def as_typed(param, typed):
    """An InvalidParameter of ``param`` shows ``typed``.

    That is the option's value as given, not as the CLI translated it for
    the library.
    """
    try:
        yield
    except exceptions.InvalidParameter as e:
        if e.param == param:
            e.values['value'] = typed
        raise


@contextlib.contextmanager
def scope_warnings(stream):
    """Write ScopeIgnoredWarnings to ``stream`` as one CLI line each.

    Also when an error follows: the warning explains it (a name not found
    in the project the server searched).
    """
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter('always', exceptions.ScopeIgnoredWarning)
            yield
    finally:
        _write(caught, stream)


def _write(caught, stream):
    for item in caught:
        if isinstance(item.message, exceptions.ScopeIgnoredWarning):
            stream.write('Warning: %s\n' % in_cli_words(item.message))
        else:
            warnings.warn_explicit(item.message, item.category,
                                   item.filename, item.lineno)
