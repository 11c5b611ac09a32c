import { connection } from "next/server";
import { ImportHint } from "@/components/studies/import-hint";
import { StudyCard } from "@/components/studies/study-card";
import { plural } from "@/components/ui/format";
import { listStudiesWithCounts } from "@/lib/study/queries";

export default async function StudiesPage() {
  await connection(); // read the database on every request, never at build time
  const studies = await listStudiesWithCounts();

  return (
    <>
      <div className="mb-8 flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-2xl">Studies</h1>
          <p className="mt-1 text-zinc-600">Each study compares checkpoints trained with SFT, RL or both on the same prompts.</p>
        </div>
        {studies.length > 0 ? <p className="text-sm text-zinc-500">{plural(studies.length, "study", "studies")}</p> : null}
      </div>
      {studies.length === 0 ? (
        <ImportHint />
      ) : (
        <ul aria-label="Studies" className="space-y-4">
          {studies.map((study) => (
            <li key={study.id}>
              <StudyCard study={study} />
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
