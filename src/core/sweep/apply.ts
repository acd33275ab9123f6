import { applyEdits, type FormattingOptions, modify } from 'jsonc-parser';
import { parseConfigPath } from '../config/sweep-paths';
import type { Assignment } from './space';

/**
 * Writes a trial's values into the text of a config, changing only those values: comments,
 * order and formatting of everything else stay as they were. A setting the file does not
 * write yet is added where it belongs. Paths must be valid (the config checks ensure it).
 */
export function applyParameters(configText: string, params: Assignment): string {
  const formattingOptions = formattingOf(configText);
  let text = configText;
  for (const [path, value] of Object.entries(params)) {
    const parsed = parseConfigPath(path);
    if (!parsed) throw new Error(`"${path}" is not a config path`);
    text = applyEdits(text, modify(text, parsed, value, { formattingOptions }));
  }

  return text;
}

/** The text of a trial's config: the sweep's values written in, the `sweep` section removed. */
export function trialConfigText(configText: string, params: Assignment): string {
  const text = applyParameters(configText, params);
  return applyEdits(
    text,
    modify(text, ['sweep'], undefined, { formattingOptions: formattingOf(text) }),
  );
}

/** The indentation the file already uses, so inserted settings look like their neighbours. */
function formattingOf(text: string): FormattingOptions {
  const indent = /\n([ \t]+)\S/.exec(text)?.[1] ?? '  ';
  const insertSpaces = !indent.startsWith('\t');
  return {
    insertSpaces,
    tabSize: insertSpaces ? indent.length : 1,
    eol: text.includes('\r\n') ? '\r\n' : '\n',
  };
}
