// Responses into a study over HTTP: JSON Lines, a JSON array or CSV in the body (Content-Type
// decides; a Label Studio or Argilla export is recognised), streamed through the import pipeline.
// The browser's upload (import page) posts here too.
import { after } from "next/server";
import { studyApiRoute } from "@/lib/auth/guard";
import { indexStudySearch } from "@/lib/browse/search-index";
import { pool } from "@/lib/db/client";
import { importRequestOf } from "@/lib/api/import-request";
import { importUpload } from "@/lib/import/http-upload";

type Context = { params: Promise<{ slug: string }> };

// A study the caller cannot see is refused as unknown (404); `?create=Name` may create a study
// whose slug nobody uses yet, and its creator becomes its first researcher (lib/study/members.ts).
export const POST = studyApiRoute(
  "/api/v1/studies/[slug]/responses",
  async (request, user, study, { params }: Context) => {
    const slug = study?.slug ?? (await params).slug;
    // An existing study is never created again: ?create= counts only when nobody uses the slug.
    const answer = await importUpload(pool(), {
      ...importRequestOf(request, slug, user.id),
      ...(study ? { createStudyName: null } : {}),
    });
    const studyId = "studyId" in answer.body ? answer.body.studyId : null;
    // The new responses become searchable in the browse table after the answer is sent.
    if (answer.status === 201 && studyId !== null)
      after(() =>
        indexStudySearch(pool(), studyId).catch((error: unknown) => console.error("Search indexing failed:", error)),
      );
    return Response.json(answer.body, { status: answer.status, headers: { "Cache-Control": "no-store" } });
  },
  { creates: (request) => Boolean(new URL(request.url).searchParams.get("create")?.trim()) },
);
