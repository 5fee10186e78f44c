"""Browser tests (a package, so its conftest.py is its own module beside tests/conftest.py)."""
