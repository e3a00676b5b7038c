"""Helpers the tests share, imported by name (``from tests.support.incident import ...``).

Nothing here is collected as a test; the benchmarks reuse some of it."""
