"""Shared pytest set-up: fixture modules live in tests/fixtures/ and are registered here."""

pytest_plugins = ["tests.fixtures.directory", "tests.fixtures.browser"]
