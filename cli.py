"""The `gazettekg` command: a thin click layer over the library."""

from __future__ import annotations

import click


@click.group()
@click.version_option(package_name="gazettekg")
def main() -> None:
    """Turn Chinese government gazettes into a knowledge graph of who must do what, by when."""


# ---- graph commands ----


# ---- property graph commands ----
