-- raw: manifests of everything read. Bodies are stored once, compressed, under build/archive/<sha256>.
create table if not exists raw.files (
    sha256  varchar not null,             -- of the file's bytes
    path    varchar not null,             -- as given by the user
    kind    varchar not null,             -- observer_protocols | observer_turnout | violations | precinct_table | ...
    bytes   bigint not null,
    read_at timestamptz not null,
    run_id  varchar,
    primary key (sha256, path)
);
