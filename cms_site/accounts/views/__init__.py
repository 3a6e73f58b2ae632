"""Views of accounts, by caller.

- ``account``: login, password change and the forgotten-password flow (every user);
- ``admin``: the exam office's password reset in the Wagtail admin.
"""
