"""pandera models for every table that enters the warehouse (pandas backend, validated lazily)."""
