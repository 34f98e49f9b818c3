-- planmap's tables. `plans` is the store of record (text, metadata, extraction record);
-- `projects` and `mentions` are the located portfolio derived from it, kept for GIS tools
-- (QGIS, GDAL `PG:`, GeoServer, pg_featureserv) and rewritten by planmap on every write.
CREATE EXTENSION IF NOT EXISTS postgis;

CREATE TABLE plans (
    id text PRIMARY KEY,
    -- order of arrival: the order replicas merge plans in
    seq bigserial NOT NULL UNIQUE,
    doc text NOT NULL UNIQUE,
    title text,
    period text,
    sha256 text NOT NULL,
    meta jsonb NOT NULL,
    text text NOT NULL,
    record jsonb NOT NULL,
    added_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE projects (
    id text PRIMARY KEY,
    name text NOT NULL,
    category text NOT NULL,
    status text NOT NULL,
    action text NOT NULL,
    county_codes text[] NOT NULL,
    prefecture_code text,
    located_by text NOT NULL,
    precision text NOT NULL,
    confidence double precision NOT NULL,
    investment_yi double precision,
    mention_count integer NOT NULL,
    plan_count integer NOT NULL,
    geom geometry(Geometry, 4326)
);
CREATE INDEX projects_geom_idx ON projects USING gist (geom);
CREATE INDEX projects_category_idx ON projects (category);

CREATE TABLE mentions (
    project_id text NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    doc text NOT NULL,
    line integer NOT NULL,
    quote text NOT NULL,
    status text NOT NULL,
    PRIMARY KEY (project_id, doc, line)
);
CREATE INDEX mentions_doc_idx ON mentions (doc);

-- what replicas compare to know they are behind: every write bumps `generation`, a deletion
-- (or a re-extraction) also `rebuilds`
CREATE TABLE portfolio_state (
    id integer PRIMARY KEY CHECK (id = 1),
    generation bigint NOT NULL,
    rebuilds bigint NOT NULL
);
INSERT INTO portfolio_state VALUES (1, 0, 0);
