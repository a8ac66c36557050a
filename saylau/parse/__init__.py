"""Pure parsers: bytes or text in, rows out. No network, no Prefect, no database."""
