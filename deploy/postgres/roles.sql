-- optstream: one PostgreSQL role per service, each holding only what it uses (docs/operations.md,
-- "Least privilege"). Run by the DBA as a superuser (or the managed service's admin role, e.g. rds_superuser),
-- in the optstream database, once before the first deployment and again
-- after every identity rebuild (a rebuild recreates identity.identifiers, whose grants do not follow):
--   psql "$ADMIN_DATABASE_URL" -v ON_ERROR_STOP=1 -f deploy/postgres/roles.sql
-- then set each role's password (\password optstream_identity_resolver, …) and put its URL in the
-- service's Secret optstream-db-<service>, key database-url. Idempotent: safe to re-run.
-- The GRANT lines below are checked against the table in tools/deploy/test/k8s.spec.ts: one statement
-- per line, keep them that way.

DO $$
DECLARE
  r text;
BEGIN
  -- Schema owners: they run their schema's migrations (and the identity rebuild's schema swaps).
  FOREACH r IN ARRAY ARRAY['optstream_identity_resolver', 'optstream_preference_projector', 'optstream_audit',
                           'optstream_connector_email', 'optstream_connector_sms', 'optstream_connector_push'] LOOP
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r) THEN
      EXECUTE format('CREATE ROLE %I LOGIN', r);
    END IF;
  END LOOP;
  -- The three connectors share the connectors schema: a group role owns it, and each connector's
  -- sessions act as that group (ALTER ROLE … SET role below), so whichever runs the migrations first
  -- creates tables the other two can use.
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'optstream_connectors') THEN
    CREATE ROLE optstream_connectors NOLOGIN;
  END IF;
END
$$;

GRANT optstream_connectors TO optstream_connector_email, optstream_connector_sms, optstream_connector_push;
ALTER ROLE optstream_connector_email SET role = 'optstream_connectors';
ALTER ROLE optstream_connector_sms SET role = 'optstream_connectors';
ALTER ROLE optstream_connector_push SET role = 'optstream_connectors';

-- Nothing for anyone by default; the ingestion gateway has no role at all (it keeps no state here).
REVOKE ALL ON SCHEMA public FROM PUBLIC;
DO $$ BEGIN EXECUTE format('REVOKE ALL ON DATABASE %I FROM PUBLIC', current_database()); END $$;
DO $$ BEGIN EXECUTE format('GRANT CONNECT ON DATABASE %I TO optstream_identity_resolver, optstream_preference_projector, optstream_connectors, optstream_audit', current_database()); END $$;
-- CREATE SCHEMA IF NOT EXISTS (every migration's first statement) checks this privilege even when the
-- schema exists, and the identity rebuild creates its staging schemas.
DO $$ BEGIN EXECUTE format('GRANT CREATE ON DATABASE %I TO optstream_identity_resolver, optstream_preference_projector, optstream_connectors', current_database()); END $$;

CREATE SCHEMA IF NOT EXISTS identity AUTHORIZATION optstream_identity_resolver;
CREATE SCHEMA IF NOT EXISTS preferences AUTHORIZATION optstream_preference_projector;
CREATE SCHEMA IF NOT EXISTS connectors AUTHORIZATION optstream_connectors;

-- TypeORM keeps each service's migrations table in public (public.identity_migrations, …).
GRANT USAGE, CREATE ON SCHEMA public TO optstream_identity_resolver, optstream_preference_projector, optstream_connectors;
GRANT USAGE ON SCHEMA public TO optstream_audit;

-- Connectors and the audit read contact addresses: the sealed identifiers and their data keys, nothing
-- else of the identity graph (docs/connectors.md). Skipped until the resolver's migrations created them.
GRANT USAGE ON SCHEMA identity TO optstream_connectors, optstream_audit;
DO $$ BEGIN IF to_regclass('identity.identifiers') IS NOT NULL THEN
GRANT SELECT ON identity.identifiers, identity.data_keys TO optstream_connectors, optstream_audit;
END IF; END $$;

-- The audit samples the read model (every projection version the projector creates), and records the
-- repairs it made in the delivery log; it runs no migrations.
GRANT USAGE ON SCHEMA preferences TO optstream_audit;
GRANT SELECT ON ALL TABLES IN SCHEMA preferences TO optstream_audit;
ALTER DEFAULT PRIVILEGES FOR ROLE optstream_preference_projector IN SCHEMA preferences GRANT SELECT ON TABLES TO optstream_audit;
GRANT USAGE ON SCHEMA connectors TO optstream_audit;
GRANT SELECT, INSERT, UPDATE ON ALL TABLES IN SCHEMA connectors TO optstream_audit;
ALTER DEFAULT PRIVILEGES FOR ROLE optstream_connectors IN SCHEMA connectors GRANT SELECT, INSERT, UPDATE ON TABLES TO optstream_audit;
DO $$ BEGIN IF to_regclass('public.connectors_migrations') IS NOT NULL THEN
GRANT SELECT ON public.connectors_migrations TO optstream_audit;
END IF; END $$;
