import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { checkChoices, loadCheckPage } from './check-page.js';
import { digestPageHeaders, loadDigestPage } from './digest-page.js';
import { fmt } from './format.js';
import { securityHeaders, sendPage } from './error-page.js';
import { loadBoard, loadIncident, loadIncidents, loadVendor, type ConsoleStores } from './pages.js';
import {
  identify,
  overHttps,
  redirectToLogin,
  safeNext,
  sessionCookie,
  sessionCookieOptions,
  sessionValue,
  tokenForLogin,
  type Viewer,
} from './session.js';

const viewers = new WeakMap<FastifyRequest, Viewer>();
const boardRefreshSeconds = 60;

const idParam = z.object({ id: z.string().min(1).max(200) });
const loginBody = z.object({
  token: z
    .string({ error: 'token: enter an API token' })
    .trim()
    .min(1, 'token: enter an API token')
    .max(4096),
  next: z.string().optional(),
});

/** The console's pages, each behind the login check. */
export function registerConsoleRoutes(scope: FastifyInstance, s: ConsoleStores): void {
  const { config } = s;

  async function guard(request: FastifyRequest, reply: FastifyReply) {
    const who = identify(config, request, Date.now());
    if (who === 'login') return redirectToLogin(request, reply);
    if (who === 'loopback-only') {
      return sendPage(
        reply,
        403,
        'Console open on this machine only',
        'No API tokens are configured, so the console answers only on the loopback address. Configure api.tokens to log in from elsewhere.',
      );
    }
    viewers.set(request, who);
  }

  function render(
    request: FastifyRequest,
    reply: FastifyReply,
    view: string,
    data: Record<string, unknown>,
    status = 200,
  ) {
    const csrfToken = reply.generateCsrf({ secure: overHttps(request) });
    return reply
      .code(status)
      .headers(securityHeaders)
      .view(view, { ...data, viewer: viewers.get(request) ?? null, csrfToken, fmt, now: Date.now() });
  }

  const guarded = { preHandler: guard };

  scope.get('/', guarded, async (request, reply) => {
    const rows = await loadBoard(s, Date.now());
    // Kept open through an incident, the board reloads itself each minute (no script needed).
    const refresh = (request.query as Record<string, unknown>).refresh !== 'off';
    return render(request, reply, 'board', {
      title: 'Vendor board',
      nav: 'board',
      rows,
      refresh,
      refreshSeconds: refresh ? boardRefreshSeconds : 0,
    });
  });

  scope.get('/incidents', guarded, async (request, reply) => {
    const rows = await loadIncidents(s);
    return render(request, reply, 'incidents', { title: 'Incidents', nav: 'incidents', rows });
  });

  scope.get('/incidents/:id', guarded, async (request, reply) => {
    const { id } = idParam.parse(request.params);
    const page = await loadIncident(s, id);
    if (!page) return sendPage(reply, 404, 'Incident not found', `There is no incident "${id}".`);
    const title = page.incident.title || page.incident.id;
    return render(request, reply, 'incident', { title, nav: 'incidents', page });
  });

  scope.get('/vendors/:id', guarded, async (request, reply) => {
    const { id } = idParam.parse(request.params);
    const page = await loadVendor(s, id, Date.now());
    if (!page) return sendPage(reply, 404, 'Vendor not found', `No watched vendor has the id "${id}".`);
    return render(request, reply, 'vendor', { title: page.detail.name, nav: 'board', page });
  });

  scope.get('/check', guarded, async (request, reply) => {
    const page = await loadCheckPage(s, request.query, new Date());
    const status = page.failure ? 503 : Object.keys(page.fieldErrors).length ? 400 : 200;
    return render(
      request,
      reply,
      'check',
      { title: 'Is the vendor at fault?', nav: 'check', page, choices: checkChoices(config) },
      status,
    );
  });

  scope.get('/digest', guarded, async (request, reply) => {
    const page = await loadDigestPage(s, request.query, new Date());
    return reply
      .code(page.status)
      .headers(digestPageHeaders)
      .type('text/html; charset=utf-8')
      .send(page.html);
  });

  scope.get('/login', async (request, reply) => {
    const next = safeNext((request.query as Record<string, unknown>).next);
    if (config.api.tokens.length === 0) return reply.redirect(next, 303);
    return render(request, reply, 'login', { title: 'Log in', nav: '', next, error: null });
  });

  scope.post('/login', { preHandler: scope.csrfProtection }, async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    const next = safeNext(body.next);
    const parsed = loginBody.safeParse(body);
    const token = parsed.success ? tokenForLogin(config, parsed.data.token) : null;
    if (!token) {
      const error = parsed.success
        ? 'token: this token is unknown or lacks the "read" scope'
        : (parsed.error.issues[0]?.message ?? 'token: enter an API token');
      return render(request, reply, 'login', { title: 'Log in', nav: '', next, error }, 401);
    }
    request.log.info({ token: token.name }, 'console login');
    reply.setCookie(
      sessionCookie,
      sessionValue(config, token, Date.now()),
      sessionCookieOptions(config, request),
    );
    return reply.redirect(next, 303);
  });

  scope.post('/logout', { preHandler: scope.csrfProtection }, async (_request, reply) => {
    reply.clearCookie(sessionCookie, { path: '/' });
    return reply.redirect(config.api.tokens.length ? '/login' : '/', 303);
  });
}
