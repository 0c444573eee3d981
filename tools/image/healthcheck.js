// The images' HEALTHCHECK: GET http://127.0.0.1:$PORT$HEALTHCHECK_PATH, exit 0 on 2xx, 1 otherwise.
// Plain Node (no curl in the slim image), no dependencies, answers within 4 s.
/* global fetch, AbortSignal -- Node 18+ globals */
'use strict';
const port = process.env.PORT || '8080';
const path = process.env.HEALTHCHECK_PATH || '/health/live';
fetch(`http://127.0.0.1:${port}${path}`, { signal: AbortSignal.timeout(4000) }).then(
  (res) => process.exit(res.ok ? 0 : 1),
  () => process.exit(1),
);
