# Sphinx configuration for the python-vbsclient documentation.

project = 'python-vbsclient'
copyright = '2026, python-vbsclient developers'

extensions = [
    'cliff.sphinxext',
]

# The command reference is generated from the installed entry points.
autoprogram_cliff_application = 'openstack'

master_doc = 'index'
# Keep "--option" as typed: smart quotes would make it an en dash.
smartquotes = False
exclude_patterns = []
html_theme = 'alabaster'
pygments_style = 'sphinx'
