/**
 * The reference for the support check's throughput: a bare fastify server, in a process of its own as
 * the API is, answering every GET with the same JSON body of the size given (bytes, argv[2]). Sends its
 * URL to the parent.
 */
import Fastify from 'fastify';

const bytes = Number(process.argv[2] ?? 2048);
const body = JSON.stringify({ padding: 'x'.repeat(Math.max(bytes - 20, 0)) });
const app = Fastify({ logger: false });
app.get('/*', async (_request, reply) => reply.type('application/json').send(body));
const url = await app.listen({ host: '127.0.0.1', port: 0 });
process.send?.(url);
