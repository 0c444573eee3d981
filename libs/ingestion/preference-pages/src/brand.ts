/** How the pages look for one brand: name, logo, colours, all from configuration. */
export interface Brand {
  readonly name: string;
  /** A `data:image/png|svg+xml;base64,…` URI: the pages load nothing from anywhere else (strict CSP). */
  readonly logoDataUri: string | null;
  /** Buttons, links and focus rings; white text sits on it. */
  readonly accentColor: string;
  readonly textColor: string;
  readonly backgroundColor: string;
}

const HEX = /^#[0-9a-f]{6}$/i;
/** WCAG 2.2 SC 1.4.3 (AA): 4.5:1 for normal text. */
const MIN_CONTRAST = 4.5;

/** Why a brand cannot be used (colours that are not #rrggbb or fail AA contrast), or nothing. */
export function brandProblems(brand: Brand): string[] {
  const problems: string[] = [];
  for (const [name, value] of Object.entries({
    accentColor: brand.accentColor,
    textColor: brand.textColor,
    backgroundColor: brand.backgroundColor,
  }))
    if (!HEX.test(value)) problems.push(`${name} must be a #rrggbb colour`);
  if (problems.length > 0) return problems;
  const pairs: [string, string, string][] = [
    ['text on background', brand.textColor, brand.backgroundColor],
    ['white button text on the accent colour', '#ffffff', brand.accentColor],
    ['the accent colour (links) on background', brand.accentColor, brand.backgroundColor],
  ];
  for (const [what, fg, bg] of pairs) {
    const ratio = contrastRatio(fg, bg);
    if (ratio < MIN_CONTRAST)
      problems.push(`${what} has a contrast of ${ratio.toFixed(2)}:1; WCAG AA needs ${MIN_CONTRAST}:1`);
  }
  if (
    brand.logoDataUri !== null &&
    !/^data:image\/(png|svg\+xml|jpeg|webp);base64,[A-Za-z0-9+/=]+$/.test(brand.logoDataUri)
  )
    problems.push('the logo must be a base64 data: URI of a PNG, SVG, JPEG or WebP image');
  return problems;
}

/** WCAG 2.2 contrast ratio of two #rrggbb colours. */
export function contrastRatio(a: string, b: string): number {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (light + 0.05) / (dark + 0.05);
}

function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}
