// Class names of the form controls, so that every form looks the same.
export const inputClass =
  "block w-full rounded-md border border-zinc-300 bg-white px-3 py-2 text-sm text-zinc-950 shadow-xs placeholder:text-zinc-400 focus:border-accent focus:outline-2 focus:outline-offset-0 focus:outline-accent/30 aria-[invalid=true]:border-red-500";

export const labelClass = "mb-1 block text-sm font-medium text-zinc-800";

const button =
  "inline-flex items-center justify-center gap-2 rounded-md px-3.5 py-2 text-sm font-medium no-underline transition-colors disabled:cursor-not-allowed disabled:opacity-60";

export const primaryButton = `${button} bg-accent text-white hover:bg-accent-strong hover:text-white`;
export const secondaryButton = `${button} border border-zinc-300 bg-white text-zinc-800 hover:bg-zinc-50 hover:text-zinc-950`;
export const dangerButton = `${button} border border-red-200 bg-white text-red-700 hover:bg-red-50 hover:text-red-800`;
export const smallButton = "whitespace-nowrap px-2.5 py-1 text-xs";
