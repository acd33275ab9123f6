import { randomBytes } from 'node:crypto';
import type { PanelKind } from '../../protocol/messages';

/** What a panel's page is made of; the URIs are already webview URIs (asWebviewUri). */
export interface PanelPage {
  kind: PanelKind;
  title: string;
  /** `webview.cspSource`: the origin the webview serves local resources from. */
  cspSource: string;
  nonce: string;
  scriptUri: string;
  styleUri: string;
  /** The run the page shows, kept in the page so the app can save it before any message. */
  runDir: string;
  compareWith?: string;
}

/** A fresh nonce per page load: a script or style without it does not run. */
export function makeNonce(): string {
  return randomBytes(18).toString('base64');
}

/**
 * The panels' Content Security Policy. Nothing may load unless listed: our bundled script by
 * nonce, our stylesheet from the extension, images as data: URLs (Chart.js exports) and fonts
 * from the extension. No 'unsafe-inline' for styles: @vscode-elements/elements styles its
 * shadow roots with constructable stylesheets (adoptedStyleSheets), which style-src does not
 * govern, and sets element styles through the CSSOM (its stylePropertyMap directive) rather
 * than style attributes; Chart.js sizes its canvas through the CSSOM too. The style nonce is
 * there for Lit's fallback <style> tags, used only where adoptedStyleSheets is missing.
 */
export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${cspSource} 'nonce-${nonce}'`,
    `img-src ${cspSource} data:`,
    `font-src ${cspSource}`,
  ].join('; ');
}

/** The whole HTML of a panel: an empty body the bundled app fills once it has its state. */
export function panelHtml(page: PanelPage): string {
  const csp = contentSecurityPolicy(page.cspSource, page.nonce);
  const compare = page.compareWith ? ` data-compare-with="${escapeHtml(page.compareWith)}"` : '';

  return `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="UTF-8">
  <meta http-equiv="Content-Security-Policy" content="${csp}">
  <meta name="viewport" content="width=device-width, initial-scale=1.0">
  <link rel="stylesheet" href="${escapeHtml(page.styleUri)}" nonce="${page.nonce}">
  <title>${escapeHtml(page.title)}</title>
</head>
<body class="panel panel-${page.kind}" data-run-dir="${escapeHtml(page.runDir)}"${compare}>
  <main id="app" aria-live="polite"><p class="muted">Loading…</p></main>
  <script nonce="${page.nonce}" src="${escapeHtml(page.scriptUri)}"></script>
</body>
</html>
`;
}

/** Escapes text for HTML content and double-quoted attributes. */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}
