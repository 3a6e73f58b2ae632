"""The plugin framework's views.

- ``admin``: the Wagtail admin page of a program's plugins (switch with confirmation,
  settings), registered from ``plugins/wagtail_hooks.py``
"""
