import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { ApiToken } from '../api/auth.js';
import type { Config } from '../config.js';

/*
 * Who may see the console. With no API tokens it is open to loopback clients only (the API binds to
 * loopback by default). With tokens, a person logs in with one that has the `read` (or `admin`) scope
 * and gets a signed session cookie; or a trusted reverse proxy names the user in a header.
 */

export const sessionCookie = 'upcause_session';

/** Who is looking at the console, and how they got in. */
export interface Viewer {
  name: string;
  via: 'loopback' | 'session' | 'proxy';
}

const sessionSchema = z.object({
  /** The token's name. */
  n: z.string().min(1),
  /** A fingerprint of the token, so a token changed in the config ends the sessions made with it. */
  f: z.string().length(16),
  /** Expiry, epoch ms. */
  e: z.number().int(),
});

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

function fingerprint(token: ApiToken): string {
  return createHash('sha256').update(`console:${token.token}`).digest('hex').slice(0, 16);
}

function canRead(token: ApiToken): boolean {
  return token.scopes.includes('read') || token.scopes.includes('admin');
}

/**
 * The configured token equal to `presented` that may read, or null. Every token is compared as a
 * digest in constant time, found or not, so timing tells neither which matched nor how many exist.
 */
export function tokenForLogin(config: Config, presented: string): ApiToken | null {
  const given = digest(presented);
  let found: ApiToken | null = null;
  for (const token of config.api.tokens) {
    if (timingSafeEqual(digest(token.token), given)) found = token;
  }
  return found && canRead(found) ? found : null;
}

/** Is the address the client connected from a loopback one (IPv4, IPv6 or v4-mapped)? */
export function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  const v4 = address.startsWith('::ffff:') ? address.slice(7) : address;
  return v4.startsWith('127.') || address === '::1';
}

/** The value of the session cookie for a login with `token` at `now`. */
export function sessionValue(config: Config, token: ApiToken, now: number): string {
  return JSON.stringify({ n: token.name, f: fingerprint(token), e: now + config.api.console.sessionTtl });
}

/** The viewer a (verified) session cookie value stands for, or null when expired or no longer valid. */
export function viewerFromSession(config: Config, value: string, now: number): Viewer | null {
  let json: unknown;
  try {
    json = JSON.parse(value);
  } catch {
    return null;
  }
  const parsed = sessionSchema.safeParse(json);
  if (!parsed.success || parsed.data.e <= now) return null;
  const { n, f } = parsed.data;
  const token = config.api.tokens.find((t) => t.name === n && fingerprint(t) === f);
  return token && canRead(token) ? { name: token.name, via: 'session' } : null;
}

/** Why a request may not see the console: it must log in, or it may not at all. */
export type Refusal = 'login' | 'loopback-only';

/** Who the request is, or why it is refused. */
export function identify(config: Config, request: FastifyRequest, now: number): Viewer | Refusal {
  const header = config.api.console.trustedUserHeader;
  if (header) {
    const user = request.headers[header.toLowerCase()];
    const name = Array.isArray(user) ? user[0] : user;
    if (name && name.trim()) return { name: name.trim().slice(0, 200), via: 'proxy' };
  }
  if (config.api.tokens.length === 0) {
    return isLoopback(request.socket.remoteAddress) ? { name: 'local', via: 'loopback' } : 'loopback-only';
  }
  const raw = request.cookies[sessionCookie];
  if (!raw) return 'login';
  const unsigned = request.unsignCookie(raw);
  if (!unsigned.valid || unsigned.value === null) return 'login';
  return viewerFromSession(config, unsigned.value, now) ?? 'login';
}

/**
 * Whether the browser reached us over https: directly, or through a proxy that terminated TLS and
 * says so. Trusting the header costs nothing: a forged one only makes the cookie https-only.
 */
export function overHttps(request: FastifyRequest): boolean {
  const forwarded = request.headers['x-forwarded-proto'];
  const proto = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0]?.trim();
  return request.protocol === 'https' || proto === 'https';
}

/** Cookie options for the session: httpOnly, same-site lax, secure when the browser came over https. */
export function sessionCookieOptions(config: Config, request: FastifyRequest) {
  return {
    signed: true,
    httpOnly: true,
    sameSite: 'lax' as const,
    secure: overHttps(request),
    path: '/',
    maxAge: Math.floor(config.api.console.sessionTtl / 1000),
  };
}

/** Where to go after login: a path of ours only (never another host). */
export function safeNext(next: unknown): string {
  if (typeof next !== 'string' || !next.startsWith('/') || next.startsWith('//') || next.includes('\\'))
    return '/';
  return next.slice(0, 2000);
}

/** Sends the login redirect for a page request, keeping where the person wanted to go. */
export function redirectToLogin(request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const next = request.method === 'GET' ? safeNext(request.url) : '/';
  return reply.redirect(next === '/' ? '/login' : `/login?next=${encodeURIComponent(next)}`, 303);
}
