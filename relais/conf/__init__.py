"""Configuration helpers: typed, environment-only, failing closed."""
