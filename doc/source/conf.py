# Sphinx configuration for the python-vbsclient documentation.

project = 'python-vbsclient'
copyright = '2026, python-vbsclient developers'

extensions = [
    'cliff.sphinxext',
    'sphinx.ext.autodoc',
]

# The API reference (reference/api.rst) documents what the docstrings say,
# in source order; the package is installed in the docs environment.
autodoc_member_order = 'bysource'
autodoc_typehints = 'none'

# The command reference is generated from the installed entry points.
autoprogram_cliff_application = 'openstack'

master_doc = 'index'
# Keep "--option" as typed: smart quotes would make it an en dash.
smartquotes = False
exclude_patterns = []
html_theme = 'alabaster'
pygments_style = 'sphinx'


def _public_bases(app, name, obj, options, bases):
    # A private helper base (exceptions._Worded) is not part of the API.
    bases[:] = [base for base in bases if not base.__name__.startswith('_')]


def setup(app):
    app.connect('autodoc-process-bases', _public_bases)
