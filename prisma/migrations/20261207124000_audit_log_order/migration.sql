-- DropIndex
DROP INDEX "audit_event_created_at_idx";

-- CreateIndex
CREATE INDEX "audit_event_created_at_id_idx" ON "audit_event"("created_at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "audit_event_study_slug_created_at_id_idx" ON "audit_event"("study_slug", "created_at" DESC, "id" DESC);
