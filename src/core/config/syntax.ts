import { ParseErrorCode, visit } from 'jsonc-parser';
import type { LineMap } from './positions';
import type { ConfigProblem } from './problems';

/** What a person should change for each kind of JSON syntax error, inside `{}` or `[]`. */
function sentence(code: ParseErrorCode, inside: 'object' | 'array' | undefined): string {
  const closer = inside === 'array' ? 'closing bracket ]' : 'closing brace }';
  const sentences: Partial<Record<ParseErrorCode, string>> = {
    [ParseErrorCode.CommaExpected]: `expected a comma or ${closer} here`,
    [ParseErrorCode.CloseBraceExpected]: 'expected a comma or closing brace } here',
    [ParseErrorCode.CloseBracketExpected]: 'expected a comma or closing bracket ] here',
    [ParseErrorCode.ColonExpected]: 'expected a colon : after the setting name',
    [ParseErrorCode.PropertyNameExpected]: 'expected a setting name in double quotes here',
    [ParseErrorCode.ValueExpected]:
      'expected a value here (a number, "text", true, false, [ ] or { })',
    [ParseErrorCode.EndOfFileExpected]: 'expected the file to end after the closing brace }',
    [ParseErrorCode.InvalidSymbol]: 'this is not JSON: text must be in double quotes',
    [ParseErrorCode.InvalidNumberFormat]:
      'this number is not written the JSON way (e.g. 0.5, 1e-3)',
    [ParseErrorCode.UnexpectedEndOfString]: 'this string has no closing double quote',
    [ParseErrorCode.UnexpectedEndOfComment]: 'this comment has no closing */',
    [ParseErrorCode.UnexpectedEndOfNumber]: 'this number ends too early',
    [ParseErrorCode.InvalidEscapeCharacter]:
      'unknown escape in a string; write a backslash as \\\\',
    [ParseErrorCode.InvalidUnicode]: 'a \\u escape needs four hexadecimal digits',
    [ParseErrorCode.InvalidCharacter]: 'this character cannot appear in a JSON string; escape it',
    [ParseErrorCode.InvalidCommentToken]: 'this comment is not closed properly',
  };

  return sentences[code] ?? 'this is not valid JSON';
}

/** Every syntax error in the text, each at its position with a sentence saying what to fix. */
export function syntaxProblems(text: string, lines: LineMap): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const nesting: ('object' | 'array')[] = [];
  visit(
    text,
    {
      onObjectBegin: () => void nesting.push('object'),
      onObjectEnd: () => void nesting.pop(),
      onArrayBegin: () => void nesting.push('array'),
      onArrayEnd: () => void nesting.pop(),
      onError: (code, offset, length) => {
        const message = sentence(code, nesting.at(-1));
        problems.push({ message, severity: 'error', ...lines.range(offset, length) });
      },
    },
    { allowTrailingComma: true, disallowComments: false },
  );

  return problems;
}
