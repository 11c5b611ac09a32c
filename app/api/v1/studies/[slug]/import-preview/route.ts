// The import page's preview of a chosen file: its first bytes in the body, answered with the detected
// format, the first rows, what each column is read as, and the study's remembered mapping for those
// columns. Reads at most a few MB and writes nothing.
import { previewRequestOf } from "@/lib/api/import-request";
import { studyApiRoute } from "@/lib/auth/guard";
import { pool } from "@/lib/db/client";
import { previewUpload } from "@/lib/import/preview";
import { formOfArguments } from "@/lib/import/remembered-form";
import { rememberedMapping } from "@/lib/import/remembered-mapping";

type Context = { params: Promise<{ slug: string }> };

export const POST = studyApiRoute(
  "/api/v1/studies/[slug]/import-preview",
  async (request, _user, study, _context: Context) => {
    const answer = await previewUpload(previewRequestOf(request));
    if (answer.status !== 200)
      return Response.json(answer.body, { status: answer.status, headers: { "Cache-Control": "no-store" } });
    const names = answer.body.columns.map((c) => c.name);
    const remembered = await rememberedMapping(pool(), study.id, answer.body.format, names);
    const body = {
      ...answer.body,
      remembered: remembered && { ...remembered, ...formOfArguments(remembered, names) },
    };
    return Response.json(body, { status: 200, headers: { "Cache-Control": "no-store" } });
  },
);
