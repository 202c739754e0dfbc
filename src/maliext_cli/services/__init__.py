"""The domain: validation, rules, matching, reports and merge. No printing, no Typer."""
