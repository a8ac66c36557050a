-- The warehouse's layers, from untrusted to published. Every statement here is idempotent.
create schema if not exists raw;         -- what was fetched or read, as manifests (bytes live in build/archive)
create schema if not exists ref;         -- reference facts from saylau/reference_data (regions, parties, contests)
create schema if not exists staging;     -- parsed rows per source, typed, not yet trusted; stg_ models (sql/10_staging)
create schema if not exists core;        -- validated facts
create schema if not exists intermediate;  -- models between core and the marts (sql/20_intermediate)
create schema if not exists quarantine;  -- rejected rows with the rule that failed and their source
create schema if not exists marts;       -- what analysts query
create schema if not exists meta;        -- runs and data-quality results
