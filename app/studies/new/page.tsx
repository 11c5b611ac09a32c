import type { Metadata } from "next";
import { connection } from "next/server";
import { StudySettingsForm } from "@/components/studies/settings-form";
import { Breadcrumb } from "@/components/ui/breadcrumb";
import { requireAccess } from "@/lib/auth/guard";
import { DEFAULT_FAILURE_RULES } from "@/lib/study/failure-rules";

export const metadata: Metadata = { title: "New study" };

const DEFAULT_HARM_CATEGORIES = [
  "violence",
  "weapons",
  "cyber",
  "self-harm",
  "hate",
  "sexual",
  "drugs",
  "fraud",
  "privacy",
  "other",
];

export default async function NewStudyPage() {
  await connection();
  await requireAccess("/studies/new");
  return (
    <div className="space-y-8">
      <header className="space-y-3">
        <Breadcrumb trail={[{ label: "Studies", href: "/" }, { label: "New study" }]} />
        <h1 className="text-2xl">New study</h1>
        <p className="max-w-3xl text-zinc-600">
          A study holds the responses of the checkpoints you compare on the same prompts, and the labels reviewers give
          them. You become its first researcher; add reviewers on its Members page. Next: import responses.
        </p>
      </header>
      <StudySettingsForm
        create
        slug=""
        settings={{
          name: "",
          description: null,
          blind: true,
          overlap: 1,
          harmCategories: DEFAULT_HARM_CATEGORIES,
          showSignals: true,
          mixingThreshold: "default",
          reviewOrder: "import",
          failureRules: DEFAULT_FAILURE_RULES,
        }}
      />
    </div>
  );
}
