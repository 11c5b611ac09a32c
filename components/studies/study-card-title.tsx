// The top of a study card in the list: its name (linking to the study), slug and description.
import Link from "next/link";

export function StudyCardTitle({
  headingId,
  study,
  showMissingDescription = false,
}: {
  headingId: string;
  study: { slug: string; name: string; description: string | null };
  /** Say "No description" rather than nothing. */
  showMissingDescription?: boolean;
}) {
  return (
    <>
      <h2 id={headingId} className="text-lg wrap-anywhere">
        <Link href={`/studies/${encodeURIComponent(study.slug)}`} className="text-zinc-950 hover:text-accent">
          {study.name}
        </Link>
      </h2>
      <p className="mt-0.5 font-mono text-xs text-zinc-500 wrap-anywhere">{study.slug}</p>
      {study.description ? (
        <p className="mt-3 line-clamp-3 text-sm text-zinc-700 wrap-anywhere">{study.description}</p>
      ) : showMissingDescription ? (
        <p className="mt-3 text-sm italic text-zinc-400">No description</p>
      ) : null}
    </>
  );
}
