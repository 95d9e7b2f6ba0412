"""The kit: what every app of the portal may use (base model, cache, e-mail, uploads, Markdown,
rate limits, CSV, seeding). It imports no app (checked by import-linter, pyproject.toml)."""
