from . import sso_admin  # noqa: F401 (organisations' email domains and sign-in policy)
