// Inputs of the sign-in and invite forms, checked on the server with the same schemas.
import { z } from "zod";

/** Bounded, so that a huge body costs nothing: bcrypt reads 72 bytes anyway. */
export const credentialsInput = z.object({
  email: z.string().trim().min(1).max(320),
  password: z.string().min(1).max(1024),
});

export const acceptInviteInput = z
  .object({
    token: z.string().min(1).max(100),
    password: z.string().max(1024),
    confirm: z.string().max(1024),
  })
  .refine((input) => input.password === input.confirm, { path: ["confirm"], message: "The two passwords differ." });
