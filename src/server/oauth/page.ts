/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);
}

/**
 * A small self-contained HTML page (no scripts); every value is escaped.
 *
 * @example
 * htmlPage('Connected', [['Location', locationId], ['Connection', id]]);
 */
export function htmlPage(title: string, lines: Array<[string, string]>, note?: string): string {
  const rows = lines.map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td><code>${escapeHtml(v)}</code></td></tr>`).join('');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:3rem auto;color:#1b1b1f}th{text-align:left;padding-right:1rem}</style></head>
<body><h1>${escapeHtml(title)}</h1>${rows ? `<table>${rows}</table>` : ''}${note ? `<p>${escapeHtml(note)}</p>` : ''}</body></html>`;
}
