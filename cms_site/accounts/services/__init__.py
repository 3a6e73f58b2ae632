"""Domain logic of accounts (views, the login backend, settings and other apps call these).

- ``identity``: identity documents and phone numbers, validated and normalised;
- ``roles``: roles as groups with permissions (``grant``, ``ensure_roles``, page permissions);
- ``lockout``: one login lockout per account, whatever spelling was typed (django-axes);
- ``recovery``: a way back in after a forgotten password (staff reset, email).
"""
