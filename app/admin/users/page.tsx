import type { Metadata } from "next";
import { CreateUserForm } from "@/components/admin/create-user-form";
import { UserTable } from "@/components/admin/user-table";
import { plural } from "@/components/ui/format";
import { listUsers } from "@/lib/admin/users";
import { requireAccess } from "@/lib/auth/guard";
import { studyChoices } from "@/lib/study/queries";

export const metadata: Metadata = { title: "Users" };

export default async function UsersPage() {
  const admin = await requireAccess("/admin/users");
  const [users, studies] = await Promise.all([listUsers(), studyChoices()]);
  return (
    <div className="space-y-10">
      <header>
        <h1 className="text-2xl">Users</h1>
        <p className="mt-1 text-zinc-600">
          Admins manage everything; researchers read studies, analytics and exports and run imports; reviewers label
          responses. Changes take effect on the user&apos;s next click.
        </p>
      </header>
      <section aria-labelledby="new-user-heading" className="space-y-3">
        <h2 id="new-user-heading" className="text-lg">
          New user
        </h2>
        <p className="text-sm text-zinc-600">
          Parallax makes a one-time invite link with which the new user chooses their own password.
        </p>
        <CreateUserForm studies={studies} />
      </section>
      <section aria-labelledby="users-heading" className="space-y-3">
        <h2 id="users-heading" className="text-lg">
          {plural(users.length, "user")}
        </h2>
        <UserTable users={users} currentUserId={admin.id} />
      </section>
    </div>
  );
}
