"""Privacy: retention schedule as code, purge and crypto-shredding, data-subject requests,
processor records (issue 11)."""
