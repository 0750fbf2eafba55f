/**
 * The host's ports as the runtime uses them: every `${secret:…}` the host hands out is remembered
 * by the redactor, and everything the runtime logs — its own log and each server's stderr log —
 * passes through the redactor first.
 */
import type { HostPorts, Logger } from '../ports';
import type { SecretRedactor } from '../redaction';

export function redactingLogger(logger: Logger, redactor: SecretRedactor): Logger {
  const wrap =
    (write: Logger['warn']): Logger['warn'] =>
    (message, ...args) =>
      write(redactor.redact(message), ...args.map((arg) => redactor.redactDeep(arg)));
  return {
    trace: wrap(logger.trace.bind(logger)),
    debug: wrap(logger.debug.bind(logger)),
    info: wrap(logger.info.bind(logger)),
    warn: wrap(logger.warn.bind(logger)),
    error: wrap(logger.error.bind(logger)),
  };
}

export function redactingPorts(ports: HostPorts, redactor: SecretRedactor): HostPorts {
  return {
    ...ports,
    logger: redactingLogger(ports.logger, redactor),
    serverLogger: (server) => redactingLogger(ports.serverLogger(server), redactor),
    secrets: {
      get: async (name) => {
        const value = await ports.secrets.get(name);
        redactor.add(value);
        return value;
      },
    },
  };
}
