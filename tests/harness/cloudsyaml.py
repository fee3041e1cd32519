"""clouds.yaml: a LocalCloud's entries, emitted by hand, merged in and out.

The emitter writes block-style mappings and lists with every string
double-quoted JSON-style (valid YAML).  Reading an existing file uses PyYAML
when the current interpreter has it, otherwise a Python that does (the
Keystone venv's) in a subprocess.  ``CloudsYamlMixin`` gives LocalCloud
its users' entries and writes them into a file.
"""

import json
import os
import re
import subprocess
import tempfile

from tests.harness import install
from tests.harness import keystone as keystone_mod

_PLAIN_KEY = re.compile(r'^[A-Za-z_][A-Za-z0-9_.-]*$')


def _scalar(value):
    if value is None:
        return 'null'
    if value is True:
        return 'true'
    if value is False:
        return 'false'
    if isinstance(value, (int, float)):
        return repr(value)
    return json.dumps(str(value), ensure_ascii=False)


def _key(key):
    key = str(key)
    if _PLAIN_KEY.match(key) and key not in ('null', 'true', 'false', 'yes',
                                             'no', 'on', 'off', 'y', 'n'):
        return key
    return json.dumps(key, ensure_ascii=False)


def _emit(value, indent, lines):
    pad = '  ' * indent
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(item, dict) and item:
                lines.append('%s%s:' % (pad, _key(key)))
                _emit(item, indent + 1, lines)
            elif isinstance(item, (list, tuple)) and item:
                lines.append('%s%s:' % (pad, _key(key)))
                _emit(item, indent + 1, lines)
            elif isinstance(item, dict):
                lines.append('%s%s: {}' % (pad, _key(key)))
            elif isinstance(item, (list, tuple)):
                lines.append('%s%s: []' % (pad, _key(key)))
            else:
                lines.append('%s%s: %s' % (pad, _key(key), _scalar(item)))
    elif isinstance(value, (list, tuple)):
        for item in value:
            if isinstance(item, (dict, list, tuple)) and item:
                sub = []
                _emit(item, indent + 1, sub)
                first = sub[0].lstrip()
                lines.append('%s- %s' % (pad, first))
                lines.extend(sub[1:])
            else:
                lines.append('%s- %s' % (pad, _scalar(item)
                                         if not isinstance(item, (dict, list,
                                                                  tuple))
                                         else ('{}' if isinstance(item, dict)
                                               else '[]')))
    else:
        lines.append(pad + _scalar(value))


def dump(data):
    """YAML text for a structure of dicts, lists and scalars."""
    lines = []
    _emit(data, 0, lines)
    return '\n'.join(lines) + '\n'


_LOAD_SCRIPT = ('import json, sys, yaml\n'
                'with open(sys.argv[1]) as fh:\n'
                '    print(json.dumps(yaml.safe_load(fh)))\n')


def load(path, helper_python=None):
    """Parse the YAML file at ``path`` (None when it is empty)."""
    with open(path) as fh:
        text = fh.read()
    if not text.strip():
        return None
    try:
        import yaml  # noqa: F401 - optional
    except ImportError:
        yaml = None
    if yaml is not None:
        return yaml.safe_load(text)
    try:
        return json.loads(text)  # JSON is YAML; cheap first try
    except ValueError:
        pass
    if not helper_python:
        raise RuntimeError('cannot parse %s: PyYAML is not importable and no '
                           'helper Python was given' % path)
    out = subprocess.run([helper_python, '-c', _LOAD_SCRIPT, path],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         check=False)
    if out.returncode != 0:
        raise RuntimeError('cannot parse %s: %s'
                           % (path, out.stderr.decode('utf-8', 'replace')))
    return json.loads(out.stdout.decode('utf-8'))


def _load_clouds(path, helper_python):
    data = {}
    if os.path.exists(path):
        data = load(path, helper_python) or {}
        if not isinstance(data, dict):
            raise RuntimeError('%s is not a YAML mapping' % path)
    clouds = data.get('clouds') or {}
    if not isinstance(clouds, dict):
        raise RuntimeError('%s: "clouds" is not a mapping' % path)
    return data, clouds


def merge_into_file(path, entries, helper_python=None):
    """Write ``entries`` under ``clouds:`` in ``path``.

    Every other cloud and top-level key already there is kept.
    """
    data, clouds = _load_clouds(path, helper_python)
    clouds.update(entries)
    data['clouds'] = clouds
    _write(path, data)
    return data


def remove_from_file(path, names, delete_if_empty=False, helper_python=None):
    """Take the clouds ``names`` out of ``path``; keep everything else.

    With ``delete_if_empty`` the file goes when nothing else is left in it.
    """
    data, clouds = _load_clouds(path, helper_python)
    for name in names:
        clouds.pop(name, None)
    data['clouds'] = clouds
    if delete_if_empty and not clouds and set(data) == {'clouds'}:
        os.unlink(path)
        return None
    _write(path, data)
    return data


def _write(path, data):
    directory = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix='.clouds-', suffix='.yaml',
                               dir=directory)
    try:
        with os.fdopen(fd, 'w') as fh:
            fh.write(dump(data))
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


class CloudsYamlMixin(object):
    """Methods of LocalCloud; it sets ``member``, ``admin``, ``_venvs``."""

    def clouds_yaml_entries(self, prefix='vbs-local', auth_url=None,
                            region_name=keystone_mod.REGION, **extra):
        """``{prefix: member entry, prefix + '-admin': admin entry}``.

        ``extra``: more top-level keys (``cacert``, ``verify``, ...).
        """
        def entry(creds):
            return dict({
                'auth': {
                    'auth_url': auth_url or self.keystone_url,
                    'username': creds.username,
                    'password': creds.password,
                    'project_name': creds.project_name,
                    'user_domain_name': creds.user_domain_name,
                    'project_domain_name': creds.project_domain_name,
                },
                'region_name': region_name,
                'interface': 'public',
                'identity_api_version': 3,
            }, **extra)
        return {prefix: entry(self.member),
                prefix + '-admin': entry(self.admin)}

    def write_clouds_yaml(self, path, prefix='vbs-local', **kwargs):
        """Write (or merge into) the clouds.yaml at ``path``.

        Other clouds in the file are kept; ``kwargs`` as for
        ``clouds_yaml_entries``.
        """
        helper = None
        if self._venvs.get('keystone'):
            helper = install.bin_path(self._venvs['keystone'], 'python')
        return merge_into_file(
            path, self.clouds_yaml_entries(prefix, **kwargs),
            helper_python=helper)
