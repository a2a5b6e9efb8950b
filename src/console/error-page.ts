import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';

/** Headers of every console page: only our own stylesheet loads, and no script runs at all. */
export const securityHeaders = {
  'content-security-policy':
    "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'same-origin',
  'cache-control': 'no-store',
};

/** Whether a request that matched no route should get the console's page rather than JSON. */
export function wantsHtml(request: FastifyRequest): boolean {
  const url = request.url;
  if (url.startsWith('/v1/') || url === '/v1' || url.startsWith('/docs')) return false;
  return (request.headers.accept ?? '').includes('text/html');
}

/** An error page (no stack, no internals), keeping the status. */
export function sendPage(reply: FastifyReply, status: number, title: string, message: string) {
  return reply
    .code(status)
    .headers(securityHeaders)
    .view('error', { title, message, status, viewer: null, nav: '', csrfToken: '' });
}

export function renderError(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  if (error.code === 'FST_CSRF_INVALID_TOKEN' || error.code === 'FST_CSRF_MISSING_SECRET') {
    return sendPage(
      reply,
      403,
      'Form expired',
      'This form was not sent from this console, or it has expired. Go back, reload the page and send it again.',
    );
  }
  const status = error.statusCode ?? 500;
  if (status >= 400 && status < 500) return sendPage(reply, status, 'Request refused', error.message);
  request.log.error({ err: error }, 'console page failed');
  return sendPage(
    reply,
    500,
    'Something went wrong',
    'The page could not be built; the server log has the details.',
  );
}
