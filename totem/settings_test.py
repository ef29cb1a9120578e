"""Settings for the test suite: fast hashing, in-memory email, DEBUG off like production."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-production-use-0123456789")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
# Background tasks (PDF packs) run at once, in the test's own thread and transaction.
os.environ.setdefault("TASKS_BACKEND", "django_tasks.backends.immediate.ImmediateBackend")

from .settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
# Tests sign in with client.force_login; the lockout tests switch django-axes back on.
AXES_ENABLED = False
# Tests sign in with client.force_login; the second-factor tests switch MFA_REQUIRED back on.
MFA_REQUIRED = False
