// The review workspace: the reviewer's next prompt from the queue (or ?prompt=ID to revisit one),
// all its responses side by side as A, B, C… — for every role, so nobody learns checkpoints here.
import type { Metadata } from "next";
import { headers } from "next/headers";
import Link from "next/link";
import { notFound } from "next/navigation";
import { ReviewWorkspace } from "@/components/review/review-workspace";
import { ProgressBar } from "@/components/studies/reviewer-progress";
import { Breadcrumb } from "@/components/ui/breadcrumb";
import { primaryButton, secondaryButton } from "@/components/ui/controls";
import { requireStudyAccess } from "@/lib/auth/guard";
import { nonceFromPolicy } from "@/lib/auth/security-headers";
import { nextItem, openItem, reviewerProgress } from "@/lib/review";
import { EARLY_KEYS_SCRIPT } from "@/lib/review-screen/early-keys";
import { studyForReviewer } from "@/lib/study/reviewer-progress";

type Props = { params: Promise<{ slug: string }>; searchParams: Promise<{ prompt?: string | string[] }> };

export const metadata: Metadata = { title: "Review" };

function promptParam(value: string | string[] | undefined): number | null | "invalid" {
  if (value === undefined) return null;
  const text = Array.isArray(value) ? value[0] : value;
  if (!text || !/^\d{1,10}$/.test(text)) return "invalid";
  const id = Number(text);
  return id > 0 && id <= 2_147_483_647 ? id : "invalid";
}

export default async function ReviewPage({ params, searchParams }: Props) {
  const { slug } = await params;
  const { user } = await requireStudyAccess("/studies/[slug]/review", slug);
  const promptId = promptParam((await searchParams).prompt);
  if (promptId === "invalid") notFound();

  const item = promptId === null ? await nextItem(slug, user.id) : await openItem(slug, user.id, promptId);
  if (!item) {
    // Reviewer read model: size and progress only, never checkpoints.
    const study = await studyForReviewer(slug, user.id);
    if (!study || promptId !== null) notFound();
    const progress = await reviewerProgress(slug, user.id);
    return (
      <div className="space-y-6">
        <Breadcrumb
          trail={[
            { label: "Studies", href: "/" },
            { label: study.slug, href: `/studies/${study.slug}`, mono: true },
            { label: "Review" },
          ]}
        />
        <h1 className="text-3xl wrap-anywhere">{study.name}</h1>
        <section
          aria-labelledby="done-heading"
          className="max-w-xl space-y-4 rounded-xl border border-zinc-200 bg-white p-6"
        >
          <h2 id="done-heading" className="text-lg">
            Nothing left for you to review
          </h2>
          <p className="text-zinc-600">
            Every prompt you could take is labelled by you or has all the reviewers it needs (some may be held by other
            reviewers right now and come back if they let them go).
          </p>
          <ProgressBar part={progress.promptsDone} whole={progress.promptsTotalForYou} label="Your prompts" />
          <ProgressBar part={progress.studyPromptsComplete} whole={progress.studyPrompts} label="Study complete" />
          <p className="flex gap-3">
            <Link href={`/studies/${study.slug}/labels`} className={primaryButton}>
              My labels
            </Link>
            <Link href={`/studies/${study.slug}`} className={secondaryButton}>
              Back to the study
            </Link>
          </p>
        </section>
      </div>
    );
  }
  const progress = await reviewerProgress(slug, user.id);
  const nonce = nonceFromPolicy((await headers()).get("content-security-policy"));
  return (
    <>
      {/* A fixed script, no data in it: keys pressed before the workspace is interactive are kept (lib/review-screen/early-keys.ts). */}
      {/* biome-ignore lint/security/noDangerouslySetInnerHtml: a constant script, no data in it */}
      <script nonce={nonce} dangerouslySetInnerHTML={{ __html: EARLY_KEYS_SCRIPT }} />
      <ReviewWorkspace
        key={item.prompt.id}
        item={item}
        progress={progress}
        userId={user.id}
        revisit={promptId !== null}
      />
    </>
  );
}
