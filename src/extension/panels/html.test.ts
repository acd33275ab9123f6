import assert from 'node:assert/strict';
import { test } from 'node:test';
import { contentSecurityPolicy, makeNonce, panelHtml } from './html';

const page = {
  kind: 'leaderboard' as const,
  title: 'Leaderboard: <run>',
  cspSource: 'https://file+.vscode-resource.vscode-cdn.net',
  nonce: 'abc123',
  scriptUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview/leaderboard.js',
  styleUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/media/panels.css',
  runDir: '/work/.ensemble-lab/runs/a"b',
};

test('the policy allows no inline script or style', () => {
  assert.doesNotMatch(contentSecurityPolicy(page.cspSource, page.nonce), /unsafe-/);
});

test('the policy denies by default', () => {
  assert.match(contentSecurityPolicy(page.cspSource, page.nonce), /^default-src 'none';/);
});

test('scripts run only with the nonce', () => {
  assert.match(contentSecurityPolicy(page.cspSource, 'n1'), /script-src 'nonce-n1';/);
});

test('the page loads its script with the nonce', () => {
  assert.match(panelHtml(page), /<script nonce="abc123" src="[^"]+leaderboard\.js"><\/script>/);
});

test('the page carries the CSP as a meta tag', () => {
  assert.match(panelHtml(page), /http-equiv="Content-Security-Policy" content="default-src/);
});

test('the title and run folder are escaped', () => {
  const html = panelHtml(page);
  assert.ok(html.includes('<title>Leaderboard: &lt;run&gt;</title>'));
  assert.ok(html.includes('data-run-dir="/work/.ensemble-lab/runs/a&quot;b"'));
});

test('two nonces differ', () => {
  assert.notEqual(makeNonce(), makeNonce());
});
