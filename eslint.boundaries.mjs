/**
 * Module boundaries, kept in their own file so a review sees every change to them.
 * Projects carry one scope tag and one type tag (see docs/architecture.md):
 *   app → feature, data-access, util            feature → domain, data-access, util
 *   data-access → domain, util                  domain → domain, util
 *   util → util                                 testing → anything but apps
 *   e2e (the end-to-end and fault suites) → anything but apps
 * A scope may use its own libraries and `scope:shared`; apps never import apps. `scope:system` (the
 * end-to-end suites, which drive the whole system) may use every scope.
 */
const scopes = ['ingestion', 'identity', 'preferences', 'connectors', 'tooling'];
/** The operator CLI (backfill, rebuild, history, audit) is the one project that spans every scope. */
const cliScope = {
  sourceTag: 'scope:cli',
  onlyDependOnLibsWithTags: [...scopes.map((s) => `scope:${s}`), 'scope:shared', 'scope:cli'],
};

export const depConstraints = [
  {
    sourceTag: 'type:app',
    onlyDependOnLibsWithTags: ['type:feature', 'type:data-access', 'type:domain', 'type:util'],
  },
  { sourceTag: 'type:feature', onlyDependOnLibsWithTags: ['type:domain', 'type:data-access', 'type:util'] },
  { sourceTag: 'type:data-access', onlyDependOnLibsWithTags: ['type:domain', 'type:util'] },
  { sourceTag: 'type:domain', onlyDependOnLibsWithTags: ['type:domain', 'type:util'] },
  { sourceTag: 'type:util', onlyDependOnLibsWithTags: ['type:util'] },
  {
    sourceTag: 'type:testing',
    onlyDependOnLibsWithTags: [
      'type:feature',
      'type:domain',
      'type:data-access',
      'type:util',
      'type:testing',
    ],
  },
  {
    sourceTag: 'type:e2e',
    onlyDependOnLibsWithTags: [
      'type:feature',
      'type:domain',
      'type:data-access',
      'type:util',
      'type:testing',
    ],
  },
  { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
  cliScope,
  { sourceTag: 'scope:system', onlyDependOnLibsWithTags: [...cliScope.onlyDependOnLibsWithTags] },
  ...scopes.map((scope) => ({
    sourceTag: `scope:${scope}`,
    onlyDependOnLibsWithTags: [`scope:${scope}`, 'scope:shared'],
  })),
];

/** Tests of any project may also use the `type:testing` libraries (builders, fixtures, waitFor). */
export const testDepConstraints = depConstraints.map((c) =>
  c.sourceTag.startsWith('type:')
    ? { ...c, onlyDependOnLibsWithTags: [...c.onlyDependOnLibsWithTags, 'type:testing'] }
    : c,
);
