"""Jinja templates, shipped inside the package as congress.templates."""
