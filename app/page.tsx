import Link from "next/link";
import { connection } from "next/server";
import { ImportHint } from "@/components/studies/import-hint";
import { ReviewerStudyCard } from "@/components/studies/reviewer-progress";
import { StudyCard } from "@/components/studies/study-card";
import { primaryButton, secondaryButton } from "@/components/ui/controls";
import { plural } from "@/components/ui/format";
import { requireAccess } from "@/lib/auth/guard";
import { listStudiesWithCounts } from "@/lib/study/queries";
import { studiesForReviewer } from "@/lib/study/reviewer-progress";

export default async function StudiesPage({
  searchParams,
}: {
  searchParams: Promise<{ archived?: string | string[] }>;
}) {
  await connection(); // read the database on every request, never at build time
  const user = await requireAccess("/");
  const reviewer = user.role === "REVIEWER";
  // Archived studies: listed under their own toggle, for researchers and admins (reviewers never get them).
  const archived = !reviewer && (await searchParams).archived === "1";
  // Reviewers get a read model without checkpoints or strategies (blind review).
  const cards = reviewer
    ? (await studiesForReviewer(user.id)).map((study) => ({ id: study.id, card: <ReviewerStudyCard study={study} /> }))
    : (await listStudiesWithCounts(user, { archived })).map((study) => ({
        id: study.id,
        card: <StudyCard study={study} />,
      }));

  return (
    <>
      <div className="mb-8 flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-2xl">Studies</h1>
          <p className="mt-1 text-zinc-600">
            {reviewer
              ? "The studies you label, and how far labelling has come."
              : "Each study compares checkpoints trained with SFT, RL or both on the same prompts."}
          </p>
        </div>
        <div className="flex flex-wrap items-center gap-3">
          {cards.length > 0 ? (
            <p className="text-sm text-zinc-500">
              {plural(cards.length, archived ? "archived study" : "study", archived ? "archived studies" : "studies")}
            </p>
          ) : null}
          {reviewer ? null : (
            <>
              <Link href={archived ? "/" : "/?archived=1"} className={secondaryButton}>
                {archived ? "Active studies" : "Archived studies"}
              </Link>
              <Link href="/studies/new" className={primaryButton}>
                New study
              </Link>
            </>
          )}
        </div>
      </div>
      {cards.length === 0 && archived ? (
        <p className="rounded-xl border border-dashed border-zinc-300 bg-white px-8 py-12 text-zinc-600">
          No archived studies. A study&apos;s settings page archives it: hidden from the lists and the review queue,
          kept whole, restorable.
        </p>
      ) : cards.length === 0 ? (
        reviewer ? (
          <p className="rounded-xl border border-dashed border-zinc-300 bg-white px-8 py-12 text-zinc-600">
            No studies for you yet: a study’s researcher or an admin adds you as a member.
          </p>
        ) : (
          <ImportHint />
        )
      ) : (
        <ul aria-label="Studies" className="space-y-4">
          {cards.map(({ id, card }) => (
            <li key={id}>{card}</li>
          ))}
        </ul>
      )}
    </>
  );
}
