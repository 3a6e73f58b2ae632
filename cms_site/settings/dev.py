from .base import *  # noqa: F401,F403
from .base import DATA_DIR
from .secrets import local_secret

DEBUG = True
SECRET_KEY = local_secret(DATA_DIR / "secret_key", "DJANGO_SECRET_KEY")
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]", "*"]
DEMO_ACCOUNTS_ALLOWED = True
