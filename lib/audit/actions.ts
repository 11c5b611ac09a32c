// Every kind of audit event Parallax writes, in the product's words: the filter of the audit log
// page offers these, and a test checks that each operation writes the action named here.

export const AUDIT_ACTIONS = {
  "study.create": "Study created",
  "study.settings": "Study settings changed",
  "study.archive": "Study archived",
  "study.restore": "Study restored",
  "study.delete": "Study deleted",
  "study.member.add": "Member added",
  "study.member.role": "Member's role changed",
  "study.member.remove": "Member removed",
  "checkpoint.change": "Checkpoint changed",
  "checkpoint.delete": "Checkpoint deleted",
  "checkpoint.merge": "Checkpoints merged",
  "adjudication.save": "Final label set",
  "adjudication.clear": "Final label cleared",
  "generation-run.pause": "Generation run paused",
  "generation-run.resume": "Generation run resumed",
  "generation-run.cancel": "Generation run cancelled",
  "judge-run.pause": "Judge run paused",
  "judge-run.resume": "Judge run resumed",
  "judge-run.cancel": "Judge run cancelled",
  "user.create": "User created",
  "user.role": "User's role changed",
  "user.disable": "User disabled",
  "user.enable": "User enabled",
  "user.invite": "Invite link renewed",
  "user.sign-out": "User signed out everywhere",
  "token.create": "API token created",
  "token.revoke": "API token revoked",
} as const;

export type AuditAction = keyof typeof AUDIT_ACTIONS;

/** The families an action filter may name as well ("study.member" = its three actions). */
export const AUDIT_ACTION_FAMILIES = {
  study: "Studies (all)",
  "study.member": "Members (all)",
  checkpoint: "Checkpoints (all)",
  adjudication: "Adjudication (all)",
  "generation-run": "Generation runs (all)",
  "judge-run": "Judge runs (all)",
  user: "Users (all)",
  token: "API tokens (all)",
} as const;

/** How an action is shown: its words when known, else the stored name itself. */
export function actionLabel(action: string): string {
  return Object.hasOwn(AUDIT_ACTIONS, action) ? AUDIT_ACTIONS[action as AuditAction] : action;
}
