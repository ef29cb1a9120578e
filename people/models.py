from .sso_models import *  # noqa: F403 (single sign-on: people/sso_models.py)
