"""Output: tables, CSV/TSV/JSON/JSONL, Markdown and HTML. The only layer that imports rich or tabulate."""
