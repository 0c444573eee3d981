import { createHash } from 'node:crypto';
import type { Brand } from './brand';
import type { Messages } from './messages';

/** A rendered page and the Content-Security-Policy that lets exactly its own inline style run. */
export interface Page {
  readonly status: number;
  readonly html: string;
  readonly csp: string;
}

const ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};
export const escapeHtml = (value: string): string => value.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);

function styleOf(brand: Brand): string {
  return `
:root{color-scheme:light}
body{margin:0;font:1rem/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:${brand.textColor};background:${brand.backgroundColor}}
main{max-width:40rem;margin:0 auto;padding:1.5rem}
header{display:flex;align-items:center;gap:.75rem;padding:1rem 1.5rem;border-bottom:1px solid ${brand.textColor}}
header img{height:2.5rem;width:auto}
h1{font-size:1.5rem;margin:1rem 0}
fieldset{border:1px solid ${brand.textColor};border-radius:.5rem;margin:0 0 1rem;padding:.75rem 1rem}
legend{font-weight:600;padding:0 .25rem}
.row{margin:.5rem 0}
.choices{display:flex;flex-wrap:wrap;gap:1rem}
label{display:inline-flex;align-items:center;gap:.4rem;min-height:24px}
input[type=radio]{width:1.25rem;height:1.25rem;accent-color:${brand.accentColor}}
button{font:inherit;min-height:44px;padding:.5rem 1.25rem;border-radius:.4rem;border:2px solid ${brand.accentColor};cursor:pointer}
button.primary{background:${brand.accentColor};color:#ffffff}
button.secondary{background:${brand.backgroundColor};color:${brand.textColor}}
a{color:${brand.accentColor}}
:focus-visible{outline:3px solid ${brand.accentColor};outline-offset:3px}
.notice{border-left:4px solid ${brand.accentColor};padding:.5rem 1rem;margin:1rem 0}
.actions{display:flex;flex-wrap:wrap;gap:1rem;margin-top:1rem}
.hint{font-size:.95rem;margin:.25rem 0 0}
`.trim();
}

/**
 * `same-origin`, not `no-referrer`: the link's token is in the URL, so no other site may see it as a
 * referrer; but under `no-referrer` a browser sends `Origin: null` with the page's own form POST (Fetch
 * standard, "append a request Origin header"), and the gateway refuses a form whose Origin is not its own.
 */
export const REFERRER_POLICY = 'same-origin';

/** The page frame: language, title, brand header, one main landmark; no script, no external asset. */
export function layout(brand: Brand, messages: Messages, title: string, body: string, status = 200): Page {
  const style = styleOf(brand);
  const styleHash = createHash('sha256').update(style).digest('base64');
  const logo = brand.logoDataUri
    ? `<img src="${escapeHtml(brand.logoDataUri)}" alt="${escapeHtml(brand.name)}">`
    : `<strong>${escapeHtml(brand.name)}</strong>`;
  const html = `<!doctype html>
<html lang="${escapeHtml(messages.lang)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="${REFERRER_POLICY}">
<meta name="robots" content="noindex, nofollow">
<title>${escapeHtml(title)} – ${escapeHtml(brand.name)}</title>
<style>${style}</style>
</head>
<body>
<header>${logo}</header>
<main>
<h1>${escapeHtml(title)}</h1>
${body}
</main>
</body>
</html>
`;
  const csp = [
    "default-src 'none'",
    `style-src 'sha256-${styleHash}'`,
    'img-src data:',
    "form-action 'self'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
  ].join('; ');
  return { status, html, csp };
}
