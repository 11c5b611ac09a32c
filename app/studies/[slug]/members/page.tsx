import type { Metadata } from "next";
import { connection } from "next/server";
import { cache } from "react";
import { AddMemberForm, RemoveMemberButton } from "@/components/members/member-forms";
import { Breadcrumb } from "@/components/ui/breadcrumb";
import { formatDay } from "@/components/ui/format";
import { requireStudyAccess } from "@/lib/auth/guard";
import { pool } from "@/lib/db/client";
import { listMembers } from "@/lib/study/members";

type Props = { params: Promise<{ slug: string }> };

const loadStudy = cache(async (slug: string) => {
  await connection();
  const { study } = await requireStudyAccess("/studies/[slug]/members", slug);
  return { study, members: await listMembers(pool(), study.id) };
});

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { study } = await loadStudy((await params).slug);
  return { title: `Members · ${study.name}` };
}

export default async function StudyMembersPage({ params }: Props) {
  const { study, members } = await loadStudy((await params).slug);
  return (
    <div className="space-y-8">
      <header className="space-y-3">
        <Breadcrumb
          trail={[
            { label: "Studies", href: "/" },
            { label: study.slug, href: `/studies/${study.slug}`, mono: true },
            { label: "Members" },
          ]}
        />
        <h1 className="text-2xl">Members of {study.name}</h1>
        <p className="max-w-3xl text-zinc-600">
          Only members see this study: reviewers label it, researchers also see its analytics, responses and imports and
          manage its members. Admins see every study. Everyone else gets “not found” for its pages and API routes.
          Removing someone keeps their labels.
        </p>
      </header>
      <AddMemberForm slug={study.slug} />
      <section aria-labelledby="members-heading" className="space-y-3">
        <h2 id="members-heading" className="text-lg font-semibold">
          {members.length === 1 ? "1 member" : `${members.length} members`}
        </h2>
        {members.length === 0 ? (
          <p className="text-zinc-600">No members yet: only admins see this study.</p>
        ) : (
          <table className="w-full text-sm" aria-label="Members">
            <thead>
              <tr className="border-b border-zinc-200 text-left text-zinc-600">
                <th scope="col" className="py-2 pr-4 font-medium">
                  Email
                </th>
                <th scope="col" className="py-2 pr-4 font-medium">
                  Role in study
                </th>
                <th scope="col" className="py-2 pr-4 font-medium">
                  Added
                </th>
                <th scope="col" className="py-2 font-medium">
                  <span className="sr-only">Remove</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {members.map((member) => (
                <tr key={member.userId} className="border-b border-zinc-100">
                  <td className="py-2 pr-4">
                    {member.email}
                    {member.disabled ? <span className="ml-2 text-xs text-zinc-500">(disabled)</span> : null}
                  </td>
                  <td className="py-2 pr-4">{member.role.toLowerCase()}</td>
                  <td className="py-2 pr-4 text-zinc-600">
                    {formatDay(member.addedAt)}
                    {member.addedBy ? ` by ${member.addedBy}` : ""}
                  </td>
                  <td className="py-2 text-right">
                    <RemoveMemberButton slug={study.slug} email={member.email} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}
