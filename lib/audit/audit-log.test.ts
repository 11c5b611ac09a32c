// The audit log's pure parts: the filter schema (every parameter's error names it), the keyset
// cursor, the WHERE clause (values only as parameters), the details as text and the CSV lines.
import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { FORMULA_CASES } from "../csv/formula-cases.fixture";
import { actionLabel, AUDIT_ACTIONS } from "./actions";
import { auditSummary, auditTarget, valueText } from "./describe";
import { AUDIT_CSV_COLUMNS, auditCsvHeader, auditCsvLine } from "./export";
import { cursorText, filterParams, parseAuditQuery } from "./filters";
import { auditPageQuery, auditWhere, type AuditEventRow } from "./query";

describe("parseAuditQuery", () => {
  it("reads every filter, trims them, drops empty ones and defaults the page", () => {
    const parsed = parseAuditQuery(
      new URLSearchParams(
        "actor= admin@ &action=study.member&study=r1-safety&from=2026-12-01&to=2026-12-07&q=ckpt&x=1",
      ),
    );
    expect(parsed).toEqual({
      ok: true,
      filters: {
        actor: "admin@",
        action: "study.member",
        study: "r1-safety",
        from: "2026-12-01",
        to: "2026-12-07",
        q: "ckpt",
      },
      page: { limit: 50 },
    });
    expect(parseAuditQuery({ actor: "", q: "  ", limit: "" })).toEqual({ ok: true, filters: {}, page: { limit: 50 } });
  });

  it("refuses bad values naming the parameter", () => {
    const errors = (query: string) => {
      const parsed = parseAuditQuery(new URLSearchParams(query));
      return parsed.ok ? [] : parsed.errors;
    };
    expect(errors("from=2026-02-30")).toEqual(["from: not a date of the calendar."]);
    expect(errors("to=yesterday")).toEqual(["to: a date as YYYY-MM-DD (UTC)."]);
    expect(errors("from=2026-12-07&to=2026-12-01")).toEqual(["to: the range ends before it starts."]);
    expect(errors("study=Not A Slug")[0]).toMatch(/^study:/);
    expect(errors("action=DROP TABLE")[0]).toMatch(/^action:/);
    expect(errors("limit=0")[0]).toMatch(/^limit:/);
    expect(errors("limit=501")[0]).toMatch(/^limit:/);
    expect(errors("before=42")[0]).toMatch(/^before:/);
    expect(errors(`q=${"x".repeat(201)}`)).toEqual(["q: at most 200 characters."]);
  });

  it("reads the cursor it writes", () => {
    const text = cursorText({ at: "2026-12-07T11:40:00.123", id: "9007199254740993" });
    const parsed = parseAuditQuery(new URLSearchParams({ before: text, limit: "10" }));
    expect(parsed.ok && parsed.page).toEqual({
      before: { at: "2026-12-07T11:40:00.123", id: "9007199254740993" },
      limit: 10,
    });
  });

  it("gives the filters back as query parameters for links", () => {
    expect(filterParams({ actor: "a b", from: "2026-01-01" }).toString()).toBe("actor=a+b&from=2026-01-01");
  });
});

describe("the query", () => {
  it("puts every value in a parameter, LIKE characters taken literally", () => {
    const query = auditWhere(
      { actor: "50%_off\\", action: "study", study: "s-1", from: "2026-01-01", to: "2026-01-02", q: "x'; DROP" },
      { at: "2026-01-02T00:00:00.000", id: "7" },
    ).toQuery();
    expect(query.text).not.toMatch(/DROP|50%|s-1/);
    expect(query.values).toEqual([
      "%50\\%\\_off\\\\%",
      "study",
      "study.%",
      "s-1",
      "2026-01-01",
      "2026-01-02",
      "%x'; DROP%",
      "2026-01-02T00:00:00.000",
      "7",
    ]);
  });

  it("orders newest first by the index's columns and reads one page", () => {
    const { text } = auditPageQuery({}, 51).toQuery();
    expect(text).toMatch(/ORDER BY e\.created_at DESC, e\.id DESC\s+LIMIT 51$/);
    expect(text).not.toMatch(/WHERE/);
  });
});

describe("details as text", () => {
  it("shows changes as from → to, lists, nested counts and absent values", () => {
    expect(auditSummary({ name: { from: "Old", to: "New" }, overlap: { from: 1, to: 2 } })).toBe(
      "name: Old → New; overlap: 1 → 2",
    );
    expect(auditSummary({ member: "a@b.c", role: { from: null, to: "REVIEWER" } })).toBe(
      "member: a@b.c; role: — → REVIEWER",
    );
    expect(auditSummary({ deleted: { prompts: 3, labels: 0 }, cats: ["x", "y"], none: [] })).toBe(
      "deleted: prompts=3, labels=0; cats: x, y; none: none",
    );
    expect(auditSummary(null)).toBe("");
    expect(valueText("y".repeat(400))).toHaveLength(300);
  });

  it("keeps markup as text (the page escapes it; nothing here builds HTML)", () => {
    expect(auditSummary({ name: { from: "<b>x</b>", to: "<img src=x onerror=alert(1)>" } })).toBe(
      "name: <b>x</b> → <img src=x onerror=alert(1)>",
    );
  });

  it("names the target: member, user, checkpoint, token, merged pair, response, else the study", () => {
    const t = (action: string, detail: unknown) => auditTarget({ action, studySlug: "s", detail });
    expect(t("study.member.add", { member: "m@x" })).toBe("m@x");
    expect(t("user.role", { user: "u@x" })).toBe("u@x");
    expect(t("checkpoint.change", { checkpoint: "ckpt-1" })).toBe("ckpt-1");
    expect(t("checkpoint.merge", { from: "a", into: "b", responses: 3 })).toBe("a → b");
    expect(t("token.create", { token: "nightly" })).toBe("nightly");
    expect(t("adjudication.save", { response: 12 })).toBe("response 12");
    expect(t("study.archive", {})).toBe("s");
    expect(t("study.archive", "not an object")).toBe("s");
  });

  it("labels every known action in words, unknown ones as stored", () => {
    for (const action of Object.keys(AUDIT_ACTIONS)) expect(actionLabel(action)).not.toBe(action);
    expect(actionLabel("something.new")).toBe("something.new");
    expect(actionLabel("constructor")).toBe("constructor");
  });
});

describe("CSV lines", () => {
  const event = (over: Partial<AuditEventRow>): AuditEventRow => ({
    id: "1",
    at: "2026-12-07T11:40:00.123",
    actor: "admin@example.org",
    actorId: 1,
    studyId: 2,
    studySlug: "r1",
    action: "checkpoint.change",
    target: "ckpt",
    summary: "name: a → b",
    detail: { checkpoint: "ckpt", name: { from: "a", to: "b" } },
    ...over,
  });

  it("parse back as RFC 4180 with the header's columns", () => {
    const text = auditCsvHeader + auditCsvLine(event({ summary: 'quote " and, comma\nnewline' }));
    expect(text).toMatch(/\r\n$/);
    const rows = parse(text, { columns: true }) as Record<string, string>[];
    expect(Object.keys(rows[0]!)).toEqual([...AUDIT_CSV_COLUMNS]);
    expect(rows[0]).toMatchObject({
      time_utc: "2026-12-07T11:40:00.123Z",
      action_label: "Checkpoint changed",
      summary: 'quote " and, comma\nnewline',
    });
    expect(JSON.parse(rows[0]!.detail_json!)).toEqual({ checkpoint: "ckpt", name: { from: "a", to: "b" } });
  });

  it("neutralise every formula-like cell, as every CSV of Parallax does", () => {
    for (const [name, cell] of FORMULA_CASES) {
      const rows = parse(auditCsvHeader + auditCsvLine(event({ actor: cell, target: cell, summary: cell })), {
        columns: true,
      }) as Record<string, string>[];
      for (const column of ["actor", "target", "summary"])
        expect(rows[0]![column], `${name} in ${column}`).toBe(`'${cell}`);
    }
  });
});
