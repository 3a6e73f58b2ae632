"""Models of accounts, one module per aggregate; every model and every name a migration
refers to (``LearnerManager``) is re-exported here.

- ``users``: ``User`` (the project's ``AUTH_USER_MODEL``) and its ``LearnerManager``;
- ``roles``: ``RoleGroup``, the group that plays a role in code.
"""

from .roles import RoleGroup
from .users import LearnerManager, User

__all__ = ["LearnerManager", "RoleGroup", "User"]
