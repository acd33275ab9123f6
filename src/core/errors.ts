/** A place in a file: 1-based line and column, as editors show them. */
export interface SourcePosition {
  file: string;
  line?: number;
  column?: number;
}

/**
 * A mistake the user can fix: a broken config, a missing file, a ragged CSV row.
 * The message is one sentence that says what to change; `where` names the file and position.
 * The CLI prints it without a stack trace and exits with code 2.
 */
export class UserError extends Error {
  constructor(
    message: string,
    readonly where?: SourcePosition,
  ) {
    super(message);
    this.name = 'UserError';
  }

  /** `file:line:col: message`, the form editors and terminals turn into links. */
  toString(): string {
    return formatProblem(this.message, this.where);
  }
}

/** Several user errors found at once, for example every problem in one config file. */
export class UserErrors extends UserError {
  constructor(readonly problems: UserError[]) {
    super(problems.map((p) => p.toString()).join('\n'));
    this.name = 'UserErrors';
  }

  override toString(): string {
    return this.message;
  }
}

export function formatProblem(message: string, where?: SourcePosition): string {
  if (!where) return message;
  const place = [where.file, where.line, where.column].filter((p) => p !== undefined).join(':');
  return `${place}: ${message}`;
}

export function isUserError(error: unknown): error is UserError {
  return error instanceof UserError;
}
