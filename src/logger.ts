import { pino, type Logger } from 'pino';

/** JSON logs; secrets never reach them. */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { app: 'upcause' },
      redact: {
        paths: [
          'token',
          '*.token',
          'authorization',
          '*.authorization',
          'headers.authorization',
          'req.headers.authorization',
          '*.secret',
        ],
        censor: '[redacted]',
      },
    },
    destination,
  );
}
export type { Logger };
