import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/**
 * The repository explains itself: every relative link in its Markdown resolves (file and heading), and
 * no comment or document cites something outside it (a sibling folder, an issue tracker's numbers, the
 * sections of a document that is not here). See docs/architecture.md.
 */
const root = resolve(__dirname, '../..');
const SKIPPED = new Set([
  'node_modules',
  '.git',
  '.stack',
  '.nx',
  'dist',
  'coverage',
  'tmp',
  'results',
  'generated',
]);
const TEXT = /\.(ts|mts|js|mjs|sh|ya?ml|md|json)$|^Dockerfile$/;

function files(dir: string, keep: (name: string) => boolean): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (SKIPPED.has(entry.name) || entry.name === 'package-lock.json') return [];
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return files(path, keep);
    return keep(entry.name) ? [path] : [];
  });
}

/** Lines outside fenced code blocks, with their numbers; inline code is dropped unless `keepCode`. */
function proseLines(markdown: string, keepCode = false): Array<{ line: string; number: number }> {
  let fenced = false;
  return markdown.split('\n').flatMap((line, index) => {
    if (/^\s*```/.test(line)) {
      fenced = !fenced;
      return [];
    }
    if (fenced) return [];
    return [{ line: keepCode ? line : line.replace(/`[^`]*`/g, ''), number: index + 1 }];
  });
}

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to dashes, repeats numbered. */
function anchors(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const result = new Set<string>();
  for (const { line } of proseLines(markdown, true)) {
    const heading = /^#{1,6}\s+(.*)$/.exec(line);
    if (!heading?.[1]) continue;
    const base = heading[1]
      .trim()
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-');
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    result.add(count === 0 ? base : `${base}-${count}`);
  }
  return result;
}

function brokenLinks(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const broken: string[] = [];
  for (const { line, number } of proseLines(text)) {
    for (const match of line.matchAll(/\]\(([^)\s]+)\)/g)) {
      const target = match[1]!.replace(/^<|>$/g, '');
      if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // https:, mailto:
      const [path = '', fragment] = target.split('#');
      const resolved = path === '' ? file : resolve(dirname(file), decodeURIComponent(path));
      const where = `${relative(root, file)}:${number} → ${target}`;
      if (!existsSync(resolved)) broken.push(`${where} (no such file)`);
      else if (fragment && statSync(resolved).isFile() && resolved.endsWith('.md')) {
        if (!anchors(readFileSync(resolved, 'utf8')).has(fragment)) broken.push(`${where} (no such heading)`);
      }
    }
  }
  return broken;
}

/** What must not be cited: the text outside the repository, or numbers of a tracker it does not hold. */
const OUTSIDE: ReadonlyArray<{ pattern: RegExp; why: string }> = [
  { pattern: /\.\.\/shared\b|\bshared\/(design|reference)\b/, why: 'a folder outside the repository' },
  { pattern: /\bissues? #?\d+/i, why: 'an issue number: say what it asked, or cite docs/' },
  { pattern: /\.md §/, why: 'a section number of a document that is not here' },
];

describe('references', () => {
  const markdown = files(root, (name) => name.endsWith('.md'));
  const sources = files(root, (name) => TEXT.test(name)).filter((file) => file !== __filename);

  it('finds the documents it checks', () => {
    expect(markdown.map((file) => relative(root, file))).toEqual(
      expect.arrayContaining(['README.md', 'docs/architecture.md']),
    );
  });

  it('every relative link in the Markdown resolves to a file, and a #heading to a heading in it', () => {
    expect(markdown.flatMap(brokenLinks)).toEqual([]);
  });

  it('no comment or document cites anything outside the repository', () => {
    const citations = sources.flatMap((file) =>
      readFileSync(file, 'utf8')
        .split('\n')
        .flatMap((line, index) =>
          OUTSIDE.filter(({ pattern }) => pattern.test(line)).map(
            ({ why }) => `${relative(root, file)}:${index + 1}: ${why}: ${line.trim()}`,
          ),
        ),
    );
    expect(citations).toEqual([]);
  });

  it('a numbered rule is cited with the document that numbers it (docs/architecture.md)', () => {
    const numbering = join(root, 'docs/architecture.md');
    const loose = sources
      .filter((file) => file !== numbering)
      .flatMap((file) =>
        readFileSync(file, 'utf8')
          .split('\n')
          .flatMap((line, index) =>
            /\brules? \d/i.test(line) && !line.includes('architecture.md')
              ? [`${relative(root, file)}:${index + 1}: ${line.trim()}`]
              : [],
          ),
      );
    expect(loose).toEqual([]);
  });
});
