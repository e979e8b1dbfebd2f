"""Thin views, one module per concept."""
