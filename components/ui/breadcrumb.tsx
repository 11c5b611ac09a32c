// The trail above a page's heading: Studies / study slug / page. The last entry is the current page.
import Link from "next/link";

export interface Crumb {
  label: string;
  /** Absent for the current page. */
  href?: string;
  /** Identifiers such as a study's slug are set in monospace. */
  mono?: boolean;
}

export function Breadcrumb({ trail }: { trail: Crumb[] }) {
  return (
    <nav aria-label="Breadcrumb" className="text-sm text-zinc-500">
      <ol className="flex flex-wrap items-center gap-1.5">
        {trail.map((crumb, i) => (
          <BreadcrumbItem key={`${i}-${crumb.label}`} crumb={crumb} first={i === 0} />
        ))}
      </ol>
    </nav>
  );
}

function BreadcrumbItem({ crumb, first }: { crumb: Crumb; first: boolean }) {
  const mono = crumb.mono ? "font-mono text-xs wrap-anywhere" : "";
  return (
    <>
      {first ? null : <li aria-hidden="true">/</li>}
      {crumb.href ? (
        <li>
          <Link href={crumb.href} className={`${mono} text-zinc-500 hover:text-zinc-900`.trim()}>
            {crumb.label}
          </Link>
        </li>
      ) : (
        <li aria-current="page" className={mono || undefined}>
          {crumb.label}
        </li>
      )}
    </>
  );
}
