"""The offline list of common and breached passwords (see README.md in this directory)."""
