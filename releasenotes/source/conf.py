# Sphinx configuration for the python-vbsclient release notes.

project = 'python-vbsclient Release Notes'
copyright = '2026, python-vbsclient developers'
extensions = ['reno.sphinxext']
master_doc = 'index'
# Keep "--option" as typed: smart quotes would make it an en dash.
smartquotes = False
exclude_patterns = []
html_theme = 'alabaster'

# Without any tag reno heads the notes "0.0.0", a version that never
# existed (pbr calls the tree 0.0.1.devN); name them for what they are.
UNTAGGED_TITLE = 'First release (not yet tagged)'


def _name_untagged_release(app, doctree):
    from docutils import nodes
    for title in doctree.findall(nodes.title):
        if title.astext() == '0.0.0':
            title.children = [nodes.Text(UNTAGGED_TITLE)]


def setup(app):
    # Before Sphinx collects the titles for the table of contents.
    app.connect('doctree-read', _name_untagged_release, priority=100)
