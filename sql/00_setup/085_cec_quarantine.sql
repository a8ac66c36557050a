-- quarantine.cec_figures: figures of a CEC page (a bulletin's region turnout, a communique's party,
-- candidate or option line) that could not be read with certainty and were set aside, one row per figure,
-- while the page's other figures loaded (docs/scraping.md, "What is read, what is set aside").
-- Written by saylau.scrape.quarantine in the same transaction as the page's staged rows.
create table if not exists quarantine.cec_figures (
    election_id varchar not null,
    contest_id  varchar,                   -- for results: the contest; NULL for turnout
    url         varchar not null,          -- the page version the figure was read from
    sha256      varchar not null,
    lang        varchar,                   -- rus | kaz | eng
    as_of       timestamp,                 -- the bulletin's time or the communique's, when known
    kind        varchar not null,          -- 'turnout' | 'result'
    subject     varchar,                   -- what the figure is of, as written (a region's, party's name), if any
    text        varchar not null,          -- the text around the figure, as written
    reason      varchar not null,          -- why it was set aside, in words
    run_id      varchar
);
