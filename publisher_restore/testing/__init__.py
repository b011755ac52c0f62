"""Reusable test suites for plugin authors (imports pytest; never used at run time)."""
