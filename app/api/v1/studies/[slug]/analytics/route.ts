// A study's analytics as flat rows for scripts: the page's numbers with the page's filters (lib/analytics).
import { analyticsCsv, analyticsRows } from "@/lib/analytics/analytics-rows";
import { parseAnalyticsRequest } from "@/lib/analytics/analytics-request";
import { searchParamsRecord } from "@/lib/analytics/url-filters";
import { studyAnalytics } from "@/lib/analytics/study-analytics";
import { studyApiRoute } from "@/lib/auth/guard";

type Context = { params: Promise<{ slug: string }> };

const noStore = { "Cache-Control": "no-store" };

export const GET = studyApiRoute(
  "/api/v1/studies/[slug]/analytics",
  async (request, _user, study, _context: Context) => {
    const slug = study.slug;
    const parsed = parseAnalyticsRequest(searchParamsRecord(new URL(request.url).searchParams));
    if (!parsed.ok)
      return Response.json(
        { error: "bad_request", message: parsed.errors.join(" "), errors: parsed.errors },
        { status: 400, headers: noStore },
      );
    const rows = analyticsRows(await studyAnalytics(study.id, parsed.request.filters));
    if (parsed.request.format === "csv") {
      return new Response(analyticsCsv(rows, parsed.request.table), {
        headers: {
          "Content-Type": "text/csv; charset=utf-8",
          "Content-Disposition": `attachment; filename="${slug}-analytics-${parsed.request.table}.csv"`,
          ...noStore,
        },
      });
    }
    return Response.json({ study: { slug: study.slug, name: study.name }, ...rows }, { headers: noStore });
  },
);
