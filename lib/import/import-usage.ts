// The import command's help (`npm run parallax -- import --help`); docs/importing.md has the long form.
import { IMPORT_FORMATS } from "./formats";

export const IMPORT_SYNOPSIS =
  'import FILE --study SLUG [--create "Study name"] [--format FORMAT] [--set FIELD=VALUE …] [--rename SOURCE=FIELD …] [--derive RULE …] [--map field:value=canonical …] [--dry-run] [--no-signals] [--no-search]';

export const IMPORT_USAGE = `Usage: npm run parallax -- ${IMPORT_SYNOPSIS}

Imports responses, prompts and labels into a study: all-or-nothing (one bad row rejects the file, and
every bad row is listed), and importing the same file again adds nothing twice. Text is stored exactly
as the file gives it. FILE may be gzip-compressed (FILE.jsonl.gz, FILE.csv.gz).

Options:
  --study SLUG             the study (lower-case letters, digits, dashes)
  --create "Name"          create the study when it does not exist yet
  --format FORMAT          one of the formats below; without it the file name's extension
                           decides, and a .json/.jsonl file is looked at for a peer's export
                           or a harness's log
  --set FIELD=VALUE        every row gets FIELD = VALUE, e.g. --set checkpoint=gpt4 --set strategy=rl
                           (repeatable; any format). A column of that name in the file is an error.
  --rename SOURCE=FIELD    read the file's column SOURCE as FIELD, e.g. --rename id=prompt_id
                           --rename type=category (repeatable; a SOURCE the file lacks is an error)
  --derive RULE            a value rule for a field: 'FIELD=VALUE if COLUMN OP TEXT [else VALUE]',
                           OP one of is, is not, startswith, endswith, contains, in (TEXT a comma list),
                           e.g. --derive 'split=unsafe if type startswith contrast_ else safe'.
                           Rules for one field are tried in order; the first that matches wins.
                           COLUMN is the file's column as written; comparisons are exact.
  --map field:value=canonical
                           read another spelling of a label value, e.g. --map refusal:declined=refused
  --checkpoints NAME[:STRATEGY],…  --strategy CHECKPOINT=STRATEGY  --question NAME=FIELD
                           Label Studio / Argilla exports only (see docs/importing.md)
  --dry-run                run every check (against the study too) and say what would be imported;
                           write nothing
  --no-signals             do not compute the automatic signals now (run analyze later)
  --no-search              do not write the search documents now (the browse page does)

Column names read without options: completion, output, generation, model_output, response_text
→ response; question, input, instruction → prompt; model, model_name → checkpoint (when the file
has no column of that field; two candidates are an error naming both).

A file with prompts and no response columns creates the study's prompts only.

I have a CSV per model:
  npm run parallax -- import gpt4.csv --study my-eval --create "My eval" --set checkpoint=gpt4 --set strategy=rl
  npm run parallax -- import llama.csv --study my-eval --set checkpoint=llama --set strategy=sft

Formats (--format):
${IMPORT_FORMATS.map((f) => `  ${f.name.padEnd(17)}${f.description}${f.detect ? " (recognised)" : ""}`).join("\n")}

Exit code: 0 imported, 1 rejected (the problems are listed), 2 a usage problem.`;
