"""Helpers shared by several test packages: plain functions and classes, no tests, no fixtures.

Test modules import from here (or from ``tests.factories``), never from another test module or
from a ``conftest.py``.
"""
