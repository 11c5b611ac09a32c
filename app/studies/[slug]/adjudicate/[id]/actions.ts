"use server";
// The adjudication screen's server actions: access check first (researchers and admins, Origin
// checked), zod at the boundary, then lib/adjudication. Refusals (stale version, unknown response)
// come back as values the form shows.
import { revalidatePath } from "next/cache";
import { z } from "zod";
import {
  adjudicationInputSchema,
  clearAdjudication,
  saveAdjudication,
  type AdjudicationResult,
} from "@/lib/adjudication/save";
import { requireStudyAccess } from "@/lib/auth/guard";
import { pool } from "@/lib/db/client";

const target = { slug: z.string().min(1).max(200), responseId: z.number().int().positive().max(2_147_483_647) };
const saveInput = z.object({ ...target, label: adjudicationInputSchema });
const clearInput = z.object({ ...target, version: z.number().int().positive() });

export type FinalLabelResult = AdjudicationResult | { ok: false; reason: "invalid"; message: string };

function invalid(error: z.ZodError): FinalLabelResult {
  const issue = error.issues[0];
  const field = issue?.path.join(".");
  return {
    ok: false,
    reason: "invalid",
    message: issue ? `${field ? `${field}: ` : ""}${issue.message}` : "Invalid input.",
  };
}

export async function saveFinalLabel(input: unknown): Promise<FinalLabelResult> {
  const parsed = saveInput.safeParse(input);
  // The study's membership and role first (404 / 403), as for every action of a study.
  const { user, study } = await requireStudyAccess(
    "action:app/studies/[slug]/adjudicate/[id]/actions.ts#saveFinalLabel",
    parsed.success ? parsed.data.slug : (input as { slug?: unknown } | null)?.slug,
  );
  if (!parsed.success) return invalid(parsed.error);
  const result = await saveAdjudication(
    pool(),
    study.id,
    parsed.data.responseId,
    { userId: user.id, label: user.email },
    parsed.data.label,
  );
  if (result.ok) revalidatePath(`/studies/${study.slug}`, "layout");
  return result;
}

export async function clearFinalLabel(input: unknown): Promise<FinalLabelResult> {
  const parsed = clearInput.safeParse(input);
  // The study's membership and role first (404 / 403), as for every action of a study.
  const { user, study } = await requireStudyAccess(
    "action:app/studies/[slug]/adjudicate/[id]/actions.ts#clearFinalLabel",
    parsed.success ? parsed.data.slug : (input as { slug?: unknown } | null)?.slug,
  );
  if (!parsed.success) return invalid(parsed.error);
  const result = await clearAdjudication(
    pool(),
    study.id,
    parsed.data.responseId,
    { userId: user.id, label: user.email },
    parsed.data.version,
  );
  if (result.ok) revalidatePath(`/studies/${study.slug}`, "layout");
  return result;
}
