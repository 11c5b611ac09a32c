#!/bin/sh
# Stands in for Prisma's native schema engine, which cannot be downloaded here.
# Migrations run through @prisma/schema-engine-wasm instead: `npm run db:migrate`.
echo "The native Prisma schema engine is not available offline; use 'npm run db:migrate' (WebAssembly engine)." >&2
exit 1
