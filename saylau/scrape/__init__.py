"""Scraping a CEC-shaped site: discover pages, fetch them politely and incrementally, archive every body,
parse what changed, and stage the rows with provenance.

Pure library code (no Prefect), in one module per step:

- :mod:`saylau.scrape.discovery`: the site's shape, walking its listings, probing the IDs they skip, fetching
  a batch of URLs;
- :mod:`saylau.scrape.fetchlog`: ``raw.fetches``, recording every attempt, and what it tells the next run
  (validators, 404s, what is due, the latest body of every URL, what failed);
- :mod:`saylau.scrape.staging`: parsing new page versions (:mod:`saylau.parse.cec_page`) into ``raw.pages``
  and staging, restaging from the archive, recognising the election.

The run order of a whole pass (discover, fetch, record, stage, promote) is the election-night job's:
:mod:`saylau.pipeline.night`.

The names below are re-exported for callers that import ``saylau.scrape`` as one module.
"""

from saylau.parse.cec_page import ElectionContext, PageParseError, ParsedPage, parse_page
from saylau.scrape.discovery import (
    DEFAULT_BASE_URL,
    LANGUAGES,
    SECTIONS,
    Discovery,
    SiteShape,
    discover,
    fetch_batch,
    is_article,
    is_listing,
    is_navigation,
    is_news_article,
    probe_gaps,
)
from saylau.scrape.fetchlog import (
    FETCH_COLUMNS,
    LATEST_FETCHED,
    absent_urls,
    failed_fetches,
    known_validators,
    last_checked,
    latest_versions,
    record_fetches,
    select_due,
)
from saylau.scrape.staging import (
    PAGE_COLUMNS,
    RESULT_COLUMNS,
    TURNOUT_COLUMNS,
    Staged,
    StageSummary,
    election_context,
    new_versions,
    recognise_election,
    restage_from_archive,
    stage_new_pages,
    stage_page,
    still_broken,
)

__all__ = [
    "DEFAULT_BASE_URL",
    "FETCH_COLUMNS",
    "LANGUAGES",
    "LATEST_FETCHED",
    "PAGE_COLUMNS",
    "RESULT_COLUMNS",
    "SECTIONS",
    "TURNOUT_COLUMNS",
    "Discovery",
    "ElectionContext",
    "PageParseError",
    "ParsedPage",
    "SiteShape",
    "StageSummary",
    "Staged",
    "absent_urls",
    "discover",
    "election_context",
    "failed_fetches",
    "fetch_batch",
    "is_article",
    "is_listing",
    "is_navigation",
    "is_news_article",
    "known_validators",
    "last_checked",
    "latest_versions",
    "new_versions",
    "parse_page",
    "probe_gaps",
    "recognise_election",
    "record_fetches",
    "restage_from_archive",
    "select_due",
    "stage_new_pages",
    "stage_page",
    "still_broken",
]
