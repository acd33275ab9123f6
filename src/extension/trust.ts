import * as vscode from 'vscode';

/**
 * Training runs code and reads files the config names, so in Restricted Mode it is refused with
 * the reason; reading runs (the tree, lenses, panels) stays available. True when allowed.
 */
export function ensureTrusted(action: string): boolean {
  if (vscode.workspace.isTrusted) return true;
  void vscode.window
    .showWarningMessage(
      `Ensemble Lab cannot ${action} in Restricted Mode: training runs code and reads the files ` +
        'a config names. Trust this workspace to train; runs already made can still be read.',
      'Manage Workspace Trust',
    )
    .then((choice) => {
      if (choice) void vscode.commands.executeCommand('workbench.trust.manage');
    });
  return false;
}
