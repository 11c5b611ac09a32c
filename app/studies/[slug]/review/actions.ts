"use server";
// The review workspace's server actions: access check first, zod at the boundary, then lib/review.
// Expected refusals come back as values; a thrown error (server or database down) reaches the
// client as a failed call, which keeps the draft and retries.
import { z } from "zod";
import { requireAccess } from "@/lib/auth/guard";
import { saveDraft as storeDraft, skipItem, submitInputSchema, submitPrompt, type SubmitResult } from "@/lib/review";
import { draftPayloadSchema } from "@/components/review/drafts";

const slug = z.string().min(1).max(200);
const promptId = z.number().int().positive();

const draftInput = z.object({ slug, promptId, payload: draftPayloadSchema });
const submitInput = z.object({ slug, submission: submitInputSchema });
const skipInput = z.object({ slug, promptId });

export type DraftResult = { ok: true; savedAt: string } | { ok: false; message: string };
export type SkipResult = { ok: true } | { ok: false; message: string };

function problem(error: z.ZodError): { message: string; field?: string } {
  const issue = error.issues[0];
  const field = issue?.path.join(".") || undefined;
  return { message: issue ? `${field ? `${field}: ` : ""}${issue.message}` : "Invalid input.", field };
}

export async function saveDraft(input: unknown): Promise<DraftResult> {
  const user = await requireAccess("action:app/studies/[slug]/review/actions.ts#saveDraft");
  const parsed = draftInput.safeParse(input);
  if (!parsed.success) return { ok: false, message: problem(parsed.error).message };
  if (parsed.data.payload.promptId !== parsed.data.promptId) return { ok: false, message: "The draft belongs to another prompt." };
  const saved = await storeDraft(parsed.data.slug, user.id, parsed.data.promptId, parsed.data.payload);
  return { ok: true, savedAt: saved.savedAt };
}

export async function submit(input: unknown): Promise<SubmitResult> {
  const user = await requireAccess("action:app/studies/[slug]/review/actions.ts#submit");
  const parsed = submitInput.safeParse(input);
  if (!parsed.success) return { ok: false, reason: "invalid", ...problem(parsed.error) };
  return submitPrompt(parsed.data.slug, user.id, parsed.data.submission);
}

export async function skip(input: unknown): Promise<SkipResult> {
  const user = await requireAccess("action:app/studies/[slug]/review/actions.ts#skip");
  const parsed = skipInput.safeParse(input);
  if (!parsed.success) return { ok: false, message: problem(parsed.error).message };
  await skipItem(parsed.data.slug, user.id, parsed.data.promptId);
  return { ok: true };
}
