import * as vscode from 'vscode';
import { parseConfigText } from '../../core/config';
import { problemRange } from './ranges';

const isConfig = (document: vscode.TextDocument): boolean =>
  document.uri.scheme === 'file' && document.fileName.endsWith('.ensemble.json');

/**
 * Puts every config problem in the Problems panel as the user types, from the same validator
 * as the CLI: checked on open, 300 ms after the last change, cleared on close.
 */
export function registerDiagnostics(context: vscode.ExtensionContext): void {
  const collection = vscode.languages.createDiagnosticCollection('ensembleLab');
  const timers = new Map<string, NodeJS.Timeout>();
  const check = (document: vscode.TextDocument): void => {
    if (isConfig(document)) collection.set(document.uri, diagnosticsOf(document));
  };
  const later = (document: vscode.TextDocument): void => {
    const key = document.uri.toString();
    clearTimeout(timers.get(key));
    timers.set(
      key,
      setTimeout(() => check(document), 300),
    );
  };

  context.subscriptions.push(
    collection,
    vscode.workspace.onDidOpenTextDocument(check),
    vscode.workspace.onDidChangeTextDocument((e) => isConfig(e.document) && later(e.document)),
    vscode.workspace.onDidCloseTextDocument((d) => collection.delete(d.uri)),
    vscode.workspace.onDidDeleteFiles((e) => e.files.forEach((uri) => collection.delete(uri))),
    { dispose: () => timers.forEach((t) => clearTimeout(t)) },
  );
  vscode.workspace.textDocuments.forEach(check);
}

function diagnosticsOf(document: vscode.TextDocument): vscode.Diagnostic[] {
  const { problems } = parseConfigText(document.getText(), document.uri.fsPath);
  return problems.map((problem) => {
    const r = problemRange(problem);
    const range = new vscode.Range(r.startLine, r.startCharacter, r.endLine, r.endCharacter);
    const severity =
      problem.severity === 'error'
        ? vscode.DiagnosticSeverity.Error
        : vscode.DiagnosticSeverity.Warning;
    const diagnostic = new vscode.Diagnostic(range, problem.message, severity);
    diagnostic.source = 'Ensemble Lab';
    return diagnostic;
  });
}
