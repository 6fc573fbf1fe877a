"""The floor for zjeval's start-up: a typer app with one command that does nothing."""

from __future__ import annotations

from typing import Annotated

import typer

app = typer.Typer(add_completion=False)


@app.callback()
def main() -> None:
    """A minimal app."""


@app.command()
def noop(target: Annotated[str | None, typer.Argument()] = None) -> None:
    """Do nothing."""


if __name__ == "__main__":
    app()
