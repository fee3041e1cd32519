"""What importing the plugin module costs, in a fresh interpreter each.

OSC imports every plugin module at its own import, so the plugin module
(vbsclient/osc/plugin.py) must stay import-light.
"""

import subprocess
import sys

import testtools


class TestImportCost(testtools.TestCase):

    def test_plugin_module_imports_nothing_new_on_top_of_osc(self):
        # OSC's client manager imports every plugin at its own import:
        # keep this one out of it, then import it on top of OSC.
        code = (
            'import sys\n'
            'sys.modules["vbsclient"] = None\n'
            'import openstackclient.shell\n'
            'del sys.modules["vbsclient"]\n'
            'before = set(sys.modules)\n'
            'import vbsclient.osc.plugin as p\n'
            'p.check_api_version("3.45")\n'
            'import argparse\n'
            'p.build_option_parser(argparse.ArgumentParser())\n'
            'print("\\n".join(sorted(set(sys.modules) - before)))\n')
        out = subprocess.run([sys.executable, '-c', code], check=True,
                             capture_output=True, text=True).stdout.split()
        # The options table and the settings' checks it refers to (both
        # standard library only at import).
        self.assertEqual(['vbsclient', 'vbsclient.config', 'vbsclient.osc',
                          'vbsclient.osc.options', 'vbsclient.osc.plugin'],
                         sorted(out))


class TestNoImportCircle(testtools.TestCase):

    def test_settings_do_not_import_the_plugin_module(self):
        # Both read one table of the settings; neither imports the other
        # at import time (the plugin imports the settings in make_client).
        code = ('import sys\n'
                'import vbsclient.osc.settings\n'
                'print("vbsclient.osc.plugin" in sys.modules)\n')
        out = subprocess.run([sys.executable, '-c', code], check=True,
                             capture_output=True, text=True).stdout
        self.assertEqual('False\n', out)
