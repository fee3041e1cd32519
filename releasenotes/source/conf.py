# Sphinx configuration for the python-vbsclient release notes.

project = 'python-vbsclient Release Notes'
copyright = '2026, python-vbsclient developers'
extensions = ['reno.sphinxext']
master_doc = 'index'
# Keep "--option" as typed: smart quotes would make it an en dash.
smartquotes = False
exclude_patterns = []
html_theme = 'alabaster'
