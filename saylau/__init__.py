"""saylau: an election-results warehouse for Kazakhstan.

The package holds the pure, Prefect-free code (fetch, archive, parse, load, validate, publish, ...);
the Prefect layer lives in the top-level ``flows`` package.
"""

__version__ = "0.1.0"
