// A label's dimensions, defined once (dimensions.ts) with the schema derived from them (schema.ts).
// Universal: imported by client components and server code alike; no database, no React.
export * from "./dimensions";
export * from "./schema";
