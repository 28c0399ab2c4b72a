"""Helpers the tests share; never a test module of their own."""
