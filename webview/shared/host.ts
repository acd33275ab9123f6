import {
  parseHostMessage,
  type HostMessage,
  type PanelMessage,
  type PanelViewState,
} from '../../src/protocol/messages';

/** The part of the API VS Code gives a webview that the panels use. */
interface VsCodeApi {
  postMessage(message: PanelMessage): void;
  getState(): unknown;
  setState(state: PanelViewState): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

/** The panel's line to the extension: typed posts and the view state that survives hiding. */
export interface HostLink {
  post(message: PanelMessage): void;
  /** The saved view state; the run folders come from the page when nothing was saved. */
  view: PanelViewState;
  /** Merges a change into the saved view state. */
  saveView(patch: Partial<PanelViewState>): void;
}

/**
 * Connects the app: listens for the host's messages (dropping any that do not check out),
 * saves the run folder at once so a reload can restore the panel, then says `ready`.
 */
export function connect(onMessage: (message: HostMessage) => void): HostLink {
  const api = acquireVsCodeApi();
  const view = initialView(api.getState());
  api.setState(view);

  window.addEventListener('message', (event: MessageEvent<unknown>) => {
    const message = parseHostMessage(event.data);
    if (message) onMessage(message);
  });
  api.postMessage({ type: 'ready' });

  return {
    post: (message) => api.postMessage(message),
    view,
    saveView(patch) {
      Object.assign(view, patch);
      api.setState(view);
    },
  };
}

/** The page's run folders win: the host wrote them for this very panel. */
function initialView(saved: unknown): PanelViewState {
  const previous = typeof saved === 'object' && saved !== null ? (saved as PanelViewState) : {};
  const { runDir = '', compareWith } = document.body.dataset;
  return { ...previous, runDir, ...(compareWith ? { compareWith } : { compareWith: undefined }) };
}

/** Creates an element with text or children; attributes are set one by one (CSP-safe). */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Record<string, string> = {},
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  element.append(...children);
  return element;
}

/** Replaces the app's content with a sentence, for a run the host could not read. */
export function showProblem(root: HTMLElement, message: string): void {
  root.replaceChildren(h('p', { class: 'problem', role: 'alert' }, message));
}

/** Metrics as people read them: four decimals (1 reads 1.0000), grouped when large. */
export function formatNumber(value: number | undefined): string {
  if (value === undefined || !Number.isFinite(value)) return '–';
  if (Math.abs(value) >= 1000) return value.toLocaleString('en-US', { maximumFractionDigits: 1 });
  return value.toFixed(4);
}

/** Counts (parameters, epochs) as whole numbers with thousands grouped. */
export function formatCount(value: number | undefined): string {
  return value === undefined ? '–' : value.toLocaleString('en-US');
}

/** Milliseconds as seconds with one decimal. */
export function formatMs(value: number | undefined): string {
  return value === undefined ? '–' : `${(value / 1000).toFixed(1)} s`;
}

/** A theme color by CSS variable name, for canvases that cannot use var() themselves. */
export function themeColor(variable: string, fallback: string): string {
  const value = getComputedStyle(document.body).getPropertyValue(variable).trim();
  return value || fallback;
}
