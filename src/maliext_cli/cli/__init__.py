"""The Typer apps, one module per noun: parse arguments, call a service, render."""
