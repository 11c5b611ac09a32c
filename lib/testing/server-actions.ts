// Calling a real server action of the running app from a test, the two ways a browser does: with
// JavaScript (a POST naming the action in the Next-Action header, arguments encoded by React), and
// before hydration / without JavaScript (the page's own <form> posted as multipart, the action
// named inside the form's hidden fields).
import { readFileSync } from "node:fs";
import path from "node:path";
import { projectRoot } from "../db/schema-engine";

/** The build's id of a server action (`file` as in app/, e.g. "app/admin/users/actions.ts"). */
export function serverActionId(file: string, exportedName: string): string {
  const manifest = JSON.parse(
    readFileSync(path.join(projectRoot, ".next", "server", "server-reference-manifest.json"), "utf8"),
  ) as {
    node: Record<string, { filename: string; exportedName: string }>;
  };
  const found = Object.entries(manifest.node).find(
    ([, info]) => info.filename === file && info.exportedName === exportedName,
  );
  if (!found)
    throw new Error(`No server action ${file}#${exportedName} in the build's server-reference-manifest.json.`);
  return found[0];
}

/**
 * The body React sends for a `(previousState, formData)` action called from useActionState: the
 * form's fields prefixed with the FormData's part id, and the argument list as part "0".
 */
export function actionStateBody(previousState: unknown, fields: Record<string, string>): FormData {
  const body = new FormData();
  for (const [key, value] of Object.entries(fields)) body.append(`_1_${key}`, value);
  body.append("0", JSON.stringify([previousState, "$K1"]));
  return body;
}

function decodeEntities(text: string): string {
  return text.replace(
    /&(quot|amp|lt|gt|#x27|#39);/g,
    (_, name: string) => ({ quot: '"', amp: "&", lt: "<", gt: ">", "#x27": "'", "#39": "'" })[name]!,
  );
}

/**
 * The fields of the first <form> in a server-rendered page whose inputs include every `match`
 * name=value pair: hidden inputs (the action reference among them) and the selects' chosen values.
 */
export function formFieldsOf(html: string, match: Record<string, string>): Record<string, string> {
  for (const form of html.match(/<form\b[\s\S]*?<\/form>/g) ?? []) {
    const fields: Record<string, string> = {};
    for (const input of form.match(/<input\b[^>]*>/g) ?? []) {
      const name = /\bname="([^"]*)"/.exec(input)?.[1];
      if (name !== undefined) fields[decodeEntities(name)] = decodeEntities(/\bvalue="([^"]*)"/.exec(input)?.[1] ?? "");
    }
    for (const select of form.match(/<select\b[\s\S]*?<\/select>/g) ?? []) {
      const name = /\bname="([^"]*)"/.exec(select)?.[1];
      const chosen =
        /<option\b[^>]*\bselected=""[^>]*\bvalue="([^"]*)"|<option\b[^>]*\bvalue="([^"]*)"[^>]*\bselected=""/.exec(
          select,
        );
      if (name) fields[name] = decodeEntities(chosen?.[1] ?? chosen?.[2] ?? "");
    }
    if (Object.entries(match).every(([key, value]) => fields[key] === value)) return fields;
  }
  throw new Error(`No form with ${JSON.stringify(match)} in the page.`);
}
