-- CreateEnum
CREATE TYPE "StudyRole" AS ENUM ('RESEARCHER', 'REVIEWER');

-- AlterTable
ALTER TABLE "user_invite" ADD COLUMN     "study_id" INTEGER,
ADD COLUMN     "study_role" "StudyRole";

-- AlterTable
ALTER TABLE "study" ADD COLUMN     "archived_at" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "study_member" (
    "study_id" INTEGER NOT NULL,
    "user_id" INTEGER NOT NULL,
    "role" "StudyRole" NOT NULL,
    "added_by_id" INTEGER,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "study_member_pkey" PRIMARY KEY ("study_id","user_id")
);

-- CreateIndex
CREATE INDEX "study_member_user_id_idx" ON "study_member"("user_id");

-- AddForeignKey
ALTER TABLE "user_invite" ADD CONSTRAINT "user_invite_study_id_fkey" FOREIGN KEY ("study_id") REFERENCES "study"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "study_member" ADD CONSTRAINT "study_member_study_id_fkey" FOREIGN KEY ("study_id") REFERENCES "study"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "study_member" ADD CONSTRAINT "study_member_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "user"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "study_member" ADD CONSTRAINT "study_member_added_by_id_fkey" FOREIGN KEY ("added_by_id") REFERENCES "user"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- Existing data: until now every account saw every study. So that nobody loses access on upgrade,
-- each existing study gets every active researcher and reviewer account as a member, with their
-- account's role (placeholder reviewers known only from imported labels, and disabled accounts,
-- stay outside; an admin adds them back on the study's Members page). Admins need no rows.
INSERT INTO "study_member" ("study_id", "user_id", "role")
SELECT s."id", u."id", u."role"::text::"StudyRole"
  FROM "study" s
 CROSS JOIN "user" u
 WHERE u."role" IN ('RESEARCHER', 'REVIEWER') AND NOT u."disabled" AND NOT u."placeholder";
