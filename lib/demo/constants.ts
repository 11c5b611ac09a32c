// Names the demo study, its data file and its demo users share between generator, seed and tests.
import path from "node:path";

export const DEMO_STUDY_SLUG = "r1-safety-demo";
export const DEMO_STUDY_NAME = "R1 safety study (synthetic demo)";
export const DEMO_FILE_NAME = "demo-study.jsonl";
export const DEMO_FILE = path.join(import.meta.dirname, DEMO_FILE_NAME);

export const DEMO_REVIEWERS = [
  { key: "reviewer1", email: "reviewer1@demo.parallax.local", name: "Demo Reviewer 1" },
  { key: "reviewer2", email: "reviewer2@demo.parallax.local", name: "Demo Reviewer 2" },
] as const;
export type DemoReviewerKey = (typeof DEMO_REVIEWERS)[number]["key"];

/** Every demo account. The seed creates them without passwords; `npm run demo` gives them one (demo-accounts.ts). */
export const DEMO_USERS = [
  ...DEMO_REVIEWERS.map(({ email, name }) => ({ email, name, role: "REVIEWER" as const })),
  { email: "researcher@demo.parallax.local", name: "Demo Researcher", role: "RESEARCHER" as const },
  { email: "admin@demo.parallax.local", name: "Demo Admin", role: "ADMIN" as const },
];
