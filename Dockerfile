# syntax=docker/dockerfile:1
#
# One image build, one target per app:
#
#   docker build --target ingestion-gateway    -t optstream/ingestion-gateway .
#   docker build --target identity-resolver    -t optstream/identity-resolver .
#   docker build --target preference-projector -t optstream/preference-projector .   # + rebuild job
#   docker build --target connector-email      -t optstream/connector-email .
#   docker build --target connector-sms        -t optstream/connector-sms .
#   docker build --target connector-push       -t optstream/connector-push .
#   docker build --target provider-simulators  -t optstream/provider-simulators .    # tests and demos only
#   docker build --target cli                  -t optstream/cli .                    # audit CronJob, backfill
#
# The build steps live in tools/image/build.sh (CI runs it outside Docker: tools/image/test/build.spec.ts).
# Every target: Node 24 LTS, production dependencies only, user 1000 (numeric, so Kubernetes can verify
# runAsNonRoot), tini as PID 1 (forwards SIGTERM so services drain and commit), files owned by root and
# read-only to the process; it writes only to /tmp and, for the gateway, its spool volume — so it runs
# with a read-only root filesystem. No secrets are baked in: every secret comes from the environment
# or a mounted file (<NAME>_FILE).

ARG NODE_IMAGE=node:24-bookworm-slim

FROM ${NODE_IMAGE} AS base
RUN apt-get update \
  && apt-get install -y --no-install-recommends tini \
  && rm -rf /var/lib/apt/lists/*
WORKDIR /app

# ---- build: dev dependencies, tsc, alias shims, prune to production dependencies -------------------
FROM base AS build
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.base.json ./
COPY libs ./libs
COPY apps ./apps
COPY tools/image ./tools/image
RUN tools/image/build.sh /out

# ---- runtime: what every app target shares ---------------------------------------------------------
FROM base AS runtime
ENV NODE_ENV=production \
    NODE_OPTIONS=--enable-source-maps \
    HOST=0.0.0.0 \
    HEALTHCHECK_PATH=/health/live
# Owned by root, readable by everyone: the app cannot modify its own code.
COPY --from=build /out /app
RUN mkdir -p /var/spool/optstream && chown 1000:1000 /var/spool/optstream
USER 1000:1000
ENTRYPOINT ["/usr/bin/tini", "--", "node"]
HEALTHCHECK --interval=10s --timeout=5s --start-period=60s --retries=3 CMD ["node", "/app/healthcheck.js"]

FROM runtime AS ingestion-gateway
ENV PORT=8080 \
    SPOOL_DIR=/var/spool/optstream/ingestion-gateway
# Events accepted while Kafka is unreachable are fsync'd here: mount a volume.
VOLUME ["/var/spool/optstream"]
EXPOSE 8080
CMD ["dist/apps/ingestion-gateway/src/main.js"]

FROM runtime AS identity-resolver
ENV PORT=8082
EXPOSE 8082
CMD ["dist/apps/identity-resolver/src/main.js"]

# Also the image of the projection rebuild Job: args ["dist/apps/preference-projector/src/rebuild.js", …]
FROM runtime AS preference-projector
ENV PORT=8090
EXPOSE 8090
CMD ["dist/apps/preference-projector/src/main.js"]

FROM runtime AS connector-email
ENV PORT=8091
EXPOSE 8091
CMD ["dist/apps/connector-email/src/main.js"]

FROM runtime AS connector-sms
ENV PORT=8092
EXPOSE 8092
CMD ["dist/apps/connector-sms/src/main.js"]

FROM runtime AS connector-push
ENV PORT=8093
EXPOSE 8093
CMD ["dist/apps/connector-push/src/main.js"]

FROM runtime AS provider-simulators
ENV PORT=8099 \
    PROVIDER_SIMULATORS_PORT=8099 \
    PROVIDER_SIMULATORS_HOST=0.0.0.0 \
    HEALTHCHECK_PATH=/_sim/health
EXPOSE 8099
CMD ["dist/apps/provider-simulators/src/main.js"]

# The CLI: `docker run --rm optstream/cli dist/apps/cli/src/main.js history …` (args replace CMD).
FROM runtime AS cli
HEALTHCHECK NONE
CMD ["dist/apps/cli/src/main.js", "--help"]
