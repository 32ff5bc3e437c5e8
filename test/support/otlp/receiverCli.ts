/**
 * An independent OTLP receiver on the collector's default ports, for checking by hand what the bot (or the demo)
 * exports: `node dist/test/support/otlp/receiverCli.js [--grpc 4317] [--http 4318] [--host 127.0.0.1] [--seconds N]`.
 * It logs where it listens on stderr and, on SIGINT/SIGTERM or after `--seconds`, prints a JSON summary on stdout:
 * counts per transport, span and metric names, and how many log records share a trace with a received span.
 */
import { parseArgs } from 'node:util';
import { OtlpReceiver } from './OtlpReceiver.js';
import { summarizeReceived } from './summarizeReceived.js';

const USAGE = 'usage: receiverCli [--grpc 4317] [--http 4318] [--host 127.0.0.1] [--seconds N]';

function port(value: string, flag: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0 || parsed > 65_535)
    throw new RangeError(`${flag} must be a port: ${value}`);
  return parsed;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      grpc: { type: 'string', default: '4317' },
      http: { type: 'string', default: '4318' },
      host: { type: 'string', default: '127.0.0.1' },
      seconds: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const seconds = values.seconds === undefined ? undefined : Number(values.seconds);
  if (seconds !== undefined && !(seconds > 0)) throw new RangeError(`--seconds must be positive: ${values.seconds}`);

  const startedAt = Date.now();
  const receiver = await OtlpReceiver.start({
    grpcPort: port(values.grpc, '--grpc'),
    httpPort: port(values.http, '--http'),
    host: values.host,
  });
  // One machine-readable line, so a script (or a test using port 0) can find the ports.
  process.stderr.write(
    `${JSON.stringify({ listening: { grpc: receiver.grpcEndpoint, http: receiver.httpEndpoint, traces: receiver.tracesUrl } })}\n`,
  );

  let timer: NodeJS.Timeout | undefined;
  const stop = await new Promise<string>((resolve) => {
    process.once('SIGINT', () => resolve('SIGINT'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
    if (seconds !== undefined) timer = setTimeout(() => resolve('timer'), seconds * 1000);
  });
  clearTimeout(timer);
  await receiver.close();
  const summary = { stoppedBy: stop, seconds: (Date.now() - startedAt) / 1000, ...summarizeReceived(receiver) };
  process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n${USAGE}\n`);
  process.exitCode = 1;
});
