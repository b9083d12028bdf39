"""Templates live in the top-level templates/ folder, shipped as the package congress.templates."""
from __future__ import annotations

from importlib import resources


def environment(autoescape: bool = False):
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    folder = resources.files("congress.templates")
    return Environment(
        loader=FileSystemLoader(str(folder)),
        autoescape=autoescape,
        undefined=StrictUndefined,
        keep_trailing_newline=False,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render(name: str, **context) -> str:
    return environment().get_template(name).render(**context)
