// A study's members for scripts: list (GET), add or change a role (POST {"email", "role"}), remove
// (DELETE ?email=). The same rules and log as the Members page (lib/study/members.ts).
import { apiError } from "@/lib/api/errors";
import { studyApiRoute } from "@/lib/auth/guard";
import { pool } from "@/lib/db/client";
import { addMember, listMembers, removeMember, StudyMemberError } from "@/lib/study/members";

type Context = { params: Promise<{ slug: string }> };
const noStore = { "Cache-Control": "no-store" };

export const GET = studyApiRoute("/api/v1/studies/[slug]/members", async (_request, _user, study, _c: Context) => {
  const members = await listMembers(pool(), study.id);
  return Response.json(
    {
      members: members.map((m) => ({
        email: m.email,
        name: m.name,
        role: m.role,
        accountRole: m.accountRole,
        disabled: m.disabled,
        addedAt: m.addedAt.toISOString(),
        addedBy: m.addedBy,
      })),
    },
    { headers: noStore },
  );
});

export const POST = studyApiRoute("/api/v1/studies/[slug]/members", async (request, user, study, _c: Context) => {
  let body: unknown;
  try {
    body = await request.json();
  } catch {
    return apiError(400, "bad_request", 'Send JSON: {"email": "…", "role": "REVIEWER" | "RESEARCHER"}.');
  }
  try {
    const result = await addMember(pool(), study.id, { userId: user.id, label: user.email }, body);
    return Response.json(result, { status: result.outcome === "added" ? 201 : 200, headers: noStore });
  } catch (error) {
    if (error instanceof StudyMemberError) return apiError(422, "refused", error.message);
    throw error;
  }
});

export const DELETE = studyApiRoute("/api/v1/studies/[slug]/members", async (request, user, study, _c: Context) => {
  const email = new URL(request.url).searchParams.get("email") ?? "";
  try {
    const result = await removeMember(pool(), study.id, { userId: user.id, label: user.email }, { email });
    if (!result.removed) return apiError(404, "not_a_member", `${result.email} is not a member of this study.`);
    return Response.json(result, { headers: noStore });
  } catch (error) {
    if (error instanceof StudyMemberError) return apiError(422, "refused", error.message);
    throw error;
  }
});
