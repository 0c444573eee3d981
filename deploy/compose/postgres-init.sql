-- Run by the postgres image's entrypoint on first start (empty volume), as the POSTGRES_USER (optstream).
-- The database `optstream` itself comes from POSTGRES_DB.
CREATE DATABASE optstream_registry OWNER optstream;
