"""Flow tests: Prefect flows against the CEC double, on one temporary Prefect server per test process."""

# Election-night parameters for the double on loopback: no rate limit, short timeouts and back-off.
FAST = dict(
    requests_per_second=0,
    max_concurrency=8,
    workers=8,
    read_timeout=3.0,
    retry_after_max=0.2,
    backoff_base=0.01,
)
