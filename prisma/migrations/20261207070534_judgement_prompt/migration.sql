-- AlterTable
ALTER TABLE "response_judgement" ADD COLUMN     "prompt_id" INTEGER;

-- AlterTable
ALTER TABLE "response_source_judgement" ADD COLUMN     "prompt_id" INTEGER;

-- The prompt of a judged response, for analytics that cluster or pair by prompt. The judgement
-- rows are made by the label triggers' refresh functions; rather than repeat those functions, a
-- BEFORE INSERT trigger fills the prompt from the response (a response never changes its prompt).
CREATE FUNCTION "judgement_fill_prompt"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.prompt_id IS NULL THEN
    SELECT r.prompt_id INTO NEW.prompt_id FROM response r WHERE r.id = NEW.response_id;
  END IF;
  RETURN NEW;
END $$;

CREATE TRIGGER "response_judgement_fill_prompt" BEFORE INSERT ON "response_judgement"
  FOR EACH ROW EXECUTE FUNCTION "judgement_fill_prompt"();
CREATE TRIGGER "response_source_judgement_fill_prompt" BEFORE INSERT ON "response_source_judgement"
  FOR EACH ROW EXECUTE FUNCTION "judgement_fill_prompt"();

UPDATE "response_judgement" j SET "prompt_id" = r.prompt_id FROM "response" r WHERE r.id = j.response_id AND j.prompt_id IS NULL;
UPDATE "response_source_judgement" j SET "prompt_id" = r.prompt_id FROM "response" r WHERE r.id = j.response_id AND j.prompt_id IS NULL;
