"""The thin Prefect layer: flows and @task wrappers around ``saylau`` functions.

Importing this package first sets Prefect's environment defaults (local temporary server, analytics off,
``PREFECT_HOME`` inside the build folder), so it must be imported before ``prefect`` itself.
"""

from saylau.config import apply_prefect_environment

apply_prefect_environment()
