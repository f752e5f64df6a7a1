"""Cross-cutting pieces: request context, the service pattern, health checks, the CLI commands."""
