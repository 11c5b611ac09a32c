import Link from "next/link";

export function AppHeader() {
  return (
    <header className="border-b border-zinc-200 bg-white">
      <div className="mx-auto flex h-14 max-w-6xl items-center gap-8 px-6">
        <Link href="/" className="flex items-baseline gap-2 text-zinc-950 no-underline hover:text-zinc-950">
          <span aria-hidden="true" className="relative top-0.5 inline-flex size-5 items-center justify-center">
            <span className="absolute inset-0 rounded-full border-2 border-accent" />
            <span className="absolute inset-x-1.5 inset-y-0 rounded-full bg-accent/30" />
          </span>
          <span className="text-lg font-semibold tracking-tight">Parallax</span>
        </Link>
        <nav aria-label="Main">
          <ul className="flex items-center gap-6 text-sm">
            <li>
              <Link href="/" className="font-medium text-zinc-600 no-underline hover:text-zinc-950">
                Studies
              </Link>
            </li>
          </ul>
        </nav>
        <p className="ml-auto hidden text-xs text-zinc-500 sm:block">SFT · RL · hybrid checkpoints, side by side</p>
      </div>
    </header>
  );
}
