// Studies and their members from the command line, with the same rules, transactions and log as the
// app (the actor is "command line (user@host)"; the command line sees every study, as an admin):
//   study:create --slug SLUG --name NAME [--description TEXT] [--blind on|off] [--overlap N]
//   study:archive --study SLUG · study:restore --study SLUG · study:delete --study SLUG --confirm SLUG
//   study:member add --study SLUG --email EMAIL --role researcher|reviewer
//   study:member remove --study SLUG --email EMAIL · study:member list --study SLUG
import { parseArgs } from "node:util";
import type pg from "pg";
import { commandLineActor } from "../audit/record";
import {
  changeCheckpoint,
  CheckpointError,
  checkpointContents,
  deleteCheckpoint,
  mergeCheckpoints,
} from "./checkpoints";
import { DEFAULT_FAILURE_RULES } from "./failure-rules";
import { createStudy, deleteStudy, setStudyArchived, studyContents, StudyLifecycleError } from "./lifecycle";
import { addMember, listMembers, removeMember, StudyMemberError } from "./members";

export const STUDY_COMMANDS_USAGE =
  "study:create --slug SLUG --name NAME [--description TEXT] [--blind on|off] [--overlap N]\n" +
  "  study:archive --study SLUG | study:restore --study SLUG | study:delete --study SLUG --confirm SLUG\n" +
  "  study:member add --study SLUG --email EMAIL --role researcher|reviewer | study:member remove --study SLUG --email EMAIL | study:member list --study SLUG";

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

async function studyIdOf(pool: pg.Pool, slug: string | undefined): Promise<number | null> {
  if (!slug) {
    console.error(`--study is required.\nUsage: npm run parallax -- ${STUDY_COMMANDS_USAGE}`);
    return null;
  }
  const { rows } = await pool.query<{ id: number }>("SELECT id FROM study WHERE slug = $1", [slug]);
  if (!rows[0]) console.error(`There is no study "${slug}".`);
  return rows[0]?.id ?? null;
}

const text = { type: "string" as const };

/** `study:create|archive|restore|delete|member`; returns the exit code (0 done, 1 refused, 2 usage). */
export async function studyCommand(pool: pg.Pool, command: string, args: string[]): Promise<number> {
  try {
    switch (command) {
      case "study:create": {
        const { values } = parseArgs({
          args,
          options: { slug: text, name: text, description: text, blind: text, overlap: text },
        });
        if (!values.slug || !values.name) {
          console.error(`--slug and --name are required.\nUsage: npm run parallax -- ${STUDY_COMMANDS_USAGE}`);
          return 2;
        }
        const created = await createStudy(pool, commandLineActor(), {
          slug: values.slug,
          name: values.name,
          description: values.description ?? "",
          blind: values.blind === undefined ? true : ["on", "true", "yes"].includes(values.blind.toLowerCase()),
          overlap: values.overlap === undefined ? 1 : Number(values.overlap),
          harmCategories: DEFAULT_HARM_CATEGORIES,
          showSignals: true,
          mixingThreshold: "default",
          reviewOrder: "import",
          failureRules: DEFAULT_FAILURE_RULES,
        });
        console.log(
          `Created the study "${created.slug}". Nobody is a member yet: add people with\n` +
            `  npm run parallax -- study:member add --study ${created.slug} --email EMAIL --role researcher`,
        );
        return 0;
      }
      case "study:archive":
      case "study:restore": {
        const { values } = parseArgs({ args, options: { study: text } });
        const id = await studyIdOf(pool, values.study);
        if (id === null) return 2;
        const archived = command === "study:archive";
        const changed = await setStudyArchived(pool, id, commandLineActor(), archived);
        console.log(
          changed
            ? `${archived ? "Archived" : "Restored"} "${values.study}".`
            : `"${values.study}" already is ${archived ? "archived" : "active"}.`,
        );
        return 0;
      }
      case "study:delete": {
        const { values } = parseArgs({ args, options: { study: text, confirm: text } });
        const id = await studyIdOf(pool, values.study);
        if (id === null) return 2;
        if (values.confirm !== values.study) {
          const contents = await studyContents(pool, id);
          console.error(
            `Deleting "${values.study}" removes ${contents.checkpoints} checkpoints, ${contents.prompts} prompts, ` +
              `${contents.responses} responses and ${contents.labels} labels for good. Repeat its slug: --confirm ${values.study}`,
          );
          return 1;
        }
        const result = await deleteStudy(pool, id, commandLineActor(), values.confirm);
        console.log(
          `Deleted "${result.slug}": ${result.deleted.checkpoints} checkpoints, ${result.deleted.prompts} prompts, ` +
            `${result.deleted.responses} responses, ${result.deleted.labels} labels.`,
        );
        return 0;
      }
      case "study:member": {
        const [action, ...rest] = args;
        const { values } = parseArgs({ args: rest, options: { study: text, email: text, role: text } });
        const id = await studyIdOf(pool, values.study);
        if (id === null) return 2;
        if (action === "list") {
          const members = await listMembers(pool, id);
          if (members.length === 0) console.log(`"${values.study}" has no members: only admins see it.`);
          for (const m of members)
            console.log(`${m.role.toLowerCase().padEnd(10)} ${m.email}${m.disabled ? " (disabled)" : ""}`);
          return 0;
        }
        if (action === "add") {
          const result = await addMember(pool, id, commandLineActor(), {
            email: values.email ?? "",
            role: (values.role ?? "").toUpperCase(),
          });
          console.log(
            result.outcome === "unchanged"
              ? `${result.email} already is a ${result.role.toLowerCase()} of "${values.study}".`
              : `${result.email} is now a ${result.role.toLowerCase()} of "${values.study}".`,
          );
          return 0;
        }
        if (action === "remove") {
          const result = await removeMember(pool, id, commandLineActor(), { email: values.email ?? "" });
          if (!result.removed) {
            console.error(`${result.email} is not a member of "${values.study}".`);
            return 1;
          }
          console.log(`Removed ${result.email} from "${values.study}".`);
          return 0;
        }
        console.error(`study:member add|remove|list.\nUsage: npm run parallax -- ${STUDY_COMMANDS_USAGE}`);
        return 2;
      }
      default:
        return 2;
    }
  } catch (error) {
    if (error instanceof StudyLifecycleError || error instanceof StudyMemberError) {
      console.error(error.message);
      return 1;
    }
    throw error;
  }
}

export const CHECKPOINT_COMMANDS_USAGE =
  "checkpoint:set --study SLUG --checkpoint NAME [--name NEW] [--strategy sft|rl|hybrid|base] [--step N|none] [--gpu-hours X|none]\n" +
  "  checkpoint:delete --study SLUG --checkpoint NAME --confirm NAME | checkpoint:merge --study SLUG --from NAME --into NAME";

/** `checkpoint:set|delete|merge`; returns the exit code (0 done, 1 refused, 2 usage). */
export async function checkpointCommand(pool: pg.Pool, command: string, args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      study: text,
      checkpoint: text,
      name: text,
      strategy: text,
      step: text,
      "gpu-hours": text,
      confirm: text,
      from: text,
      into: text,
    },
  });
  const studyId = await studyIdOf(pool, values.study);
  if (studyId === null) return 2;
  const checkpointId = async (name: string | undefined): Promise<number | null> => {
    if (!name) return null;
    const { rows } = await pool.query<{ id: number }>("SELECT id FROM checkpoint WHERE study_id = $1 AND name = $2", [
      studyId,
      name,
    ]);
    if (!rows[0]) console.error(`"${values.study}" has no checkpoint "${name}".`);
    return rows[0]?.id ?? null;
  };
  const optionalNumber = (raw: string | undefined) =>
    raw === undefined ? undefined : raw === "none" ? null : /^\d+(\.\d+)?$/.test(raw) ? Number(raw) : Number.NaN;
  try {
    if (command === "checkpoint:merge") {
      const [from, into] = [await checkpointId(values.from), await checkpointId(values.into)];
      if (from === null || into === null) return 2;
      const merged = await mergeCheckpoints(pool, studyId, from, into, commandLineActor());
      console.log(`Merged "${merged.from}" into "${merged.into}": ${merged.responses} responses moved.`);
      return 0;
    }
    const id = await checkpointId(values.checkpoint);
    if (id === null) {
      if (!values.checkpoint)
        console.error(`--checkpoint is required.\nUsage: npm run parallax -- ${CHECKPOINT_COMMANDS_USAGE}`);
      return 2;
    }
    if (command === "checkpoint:delete") {
      if (values.confirm !== values.checkpoint) {
        const contents = await checkpointContents(pool, id);
        console.error(
          `Deleting "${values.checkpoint}" removes ${contents.responses} responses and ${contents.labels} labels for good. Repeat its name: --confirm ${values.checkpoint}`,
        );
        return 1;
      }
      const deleted = await deleteCheckpoint(pool, studyId, id, commandLineActor(), values.confirm);
      console.log(`Deleted "${deleted.name}": ${deleted.responses} responses, ${deleted.labels} labels.`);
      return 0;
    }
    const change: Record<string, unknown> = {};
    if (values.name !== undefined) change.name = values.name;
    if (values.strategy !== undefined) change.strategy = values.strategy.toUpperCase();
    if (values.step !== undefined) change.trainingStep = optionalNumber(values.step);
    if (values["gpu-hours"] !== undefined) change.computeGpuHours = optionalNumber(values["gpu-hours"]);
    const changes = await changeCheckpoint(pool, studyId, id, commandLineActor(), change);
    const lines = Object.entries(changes).map(
      ([field, c]) => `  ${field}: ${c.from ?? "(none)"} → ${c.to ?? "(none)"}`,
    );
    console.log(lines.length ? `Changed "${values.checkpoint}":\n${lines.join("\n")}` : "Nothing changed.");
    return 0;
  } catch (error) {
    if (error instanceof CheckpointError) {
      console.error(error.message);
      return 1;
    }
    throw error;
  }
}
