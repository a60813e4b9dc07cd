"""A test-only app that plugs itself in through the registry alone (issue 12's acceptance test).

It is installed only by ``tests.plugin_app.settings``; ``tests/test_plugin_app.py`` runs
``tests/plugin_app/checks.py`` in a subprocess under those settings. Nothing in ``wsis/core`` or
``config/`` names it.
"""
