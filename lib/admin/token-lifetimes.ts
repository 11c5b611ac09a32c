// How long a new API token may live: the choices of the token form (shared with its schema).
export const TOKEN_LIFETIMES = { "30": "30 days", "90": "90 days", "365": "1 year", never: "Never" } as const;
export type TokenLifetime = keyof typeof TOKEN_LIFETIMES;
