# The real Secret Service; harmless if tests/conftest.py imports it as well
# (the running service is shared, not started twice).
from tests.keyring_service import clean_keyring, keyring_service  # noqa: F401
