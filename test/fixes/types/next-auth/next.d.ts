// next-auth 4 (src/next/index.ts): the server-side session getter.
export interface Session {
  user?: { name?: string | null; email?: string | null; image?: string | null };
  expires: string;
}
export declare function getServerSession(...args: unknown[]): Promise<Session | null>;
