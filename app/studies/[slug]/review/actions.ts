"use server";
// The review workspace's server actions: access check first, zod at the boundary, then lib/review.
// Expected refusals come back as values; a thrown error (server or database down) reaches the
// client as a failed call, which keeps the draft and retries.
import { z } from "zod";
import { requireStudyAccess } from "@/lib/auth/guard";
import {
  ReviewInputError,
  saveDraft as storeDraft,
  skipItem,
  submitInputSchema,
  submitPrompt,
  type SubmitResult,
} from "@/lib/review";
import { draftPayloadSchema } from "@/components/review/drafts";

const slug = z.string().min(1).max(200);
const promptId = z.number().int().positive();

const draftInput = z.object({ slug, promptId, payload: draftPayloadSchema });
const submitInput = z.object({ slug, submission: submitInputSchema });
const skipInput = z.object({ slug, promptId });

/** The study an action's input names (checked by the guard before the rest of the input). */
const slugOf = (input: unknown): unknown =>
  typeof input === "object" && input !== null ? (input as { slug?: unknown }).slug : undefined;

export type DraftResult = { ok: true; savedAt: string } | { ok: false; message: string };
export type SkipResult = { ok: true } | { ok: false; message: string };

function problem(error: z.ZodError): { message: string; field?: string } {
  const issue = error.issues[0];
  const field = issue?.path.join(".") || undefined;
  return { message: issue ? `${field ? `${field}: ` : ""}${issue.message}` : "Invalid input.", field };
}

export async function saveDraft(input: unknown): Promise<DraftResult> {
  const { user } = await requireStudyAccess("action:app/studies/[slug]/review/actions.ts#saveDraft", slugOf(input));
  const parsed = draftInput.safeParse(input);
  if (!parsed.success) return { ok: false, message: problem(parsed.error).message };
  if (parsed.data.payload.promptId !== parsed.data.promptId)
    return { ok: false, message: "The draft belongs to another prompt." };
  try {
    const saved = await storeDraft(parsed.data.slug, user.id, parsed.data.promptId, parsed.data.payload);
    return { ok: true, savedAt: saved.savedAt };
  } catch (error) {
    // A refusal (unknown study, too big, a prompt not served to you) is an answer; anything else
    // (database down) is thrown, and the client keeps the draft and retries.
    if (error instanceof ReviewInputError) return { ok: false, message: error.message };
    throw error;
  }
}

export async function submit(input: unknown): Promise<SubmitResult> {
  const { user } = await requireStudyAccess("action:app/studies/[slug]/review/actions.ts#submit", slugOf(input));
  const parsed = submitInput.safeParse(input);
  if (!parsed.success) return { ok: false, reason: "invalid", ...problem(parsed.error) };
  return submitPrompt(parsed.data.slug, user.id, parsed.data.submission);
}

export async function skip(input: unknown): Promise<SkipResult> {
  const { user } = await requireStudyAccess("action:app/studies/[slug]/review/actions.ts#skip", slugOf(input));
  const parsed = skipInput.safeParse(input);
  if (!parsed.success) return { ok: false, message: problem(parsed.error).message };
  try {
    await skipItem(parsed.data.slug, user.id, parsed.data.promptId);
    return { ok: true };
  } catch (error) {
    if (error instanceof ReviewInputError) return { ok: false, message: error.message };
    throw error;
  }
}
