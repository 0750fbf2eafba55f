import { strict as assert } from 'node:assert';
import { faultyServer } from '../../helpers/servers';
import { waitFor } from '../../helpers/wait';
import { recordingLogger, supervise } from './supervised-harness';

/**
 * What the output channel shows about a server process (faulty stdio fixture): its pid when ready,
 * a crash and when it restarts.
 */

describe('SupervisedServer: what the output channel shows about a process', function () {
  // Each start spawns a TypeScript fixture, which takes seconds on a busy machine.
  this.timeout(60_000);

  it('ready names the server version and pid; a crash says it restarts on next use', async () => {
    const { logger, lines } = recordingLogger();
    const { server } = supervise(faultyServer('exit-on-call'), { logger, backoff: { initialMs: 50, jitter: 0 } });
    await server.start();
    const pid = server.status().pid;
    assert.ok(lines.includes(`info: faulty: ready (faulty-server@0.0.1-fixture, pid ${pid})`), lines.join('\n'));
    await assert.rejects(server.callTool('echo', { text: 'bye' }));
    const crash = await waitFor(() => lines.find((line) => line.startsWith('warn: faulty: server exited')), {
      what: 'the crash to be logged',
    });
    assert.match(crash, /^warn: faulty: server exited: .*exiting mid-call.*; restarting on next use$/s);
    await server.stop(0);
  });

  it('with proactive restarts a crash says when it restarts', async () => {
    const { logger, lines } = recordingLogger();
    const { server } = supervise(faultyServer('exit-on-call'), {
      logger,
      restartProactively: true,
      backoff: { initialMs: 50, jitter: 0 },
    });
    await server.start();
    await assert.rejects(server.callTool('echo', { text: 'bye' }));
    await waitFor(() => server.status().restarts === 1 && server.status().state === 'ready', {
      what: 'the proactive restart',
      timeoutMs: 30_000,
    });
    const crash = lines.find((line) => line.startsWith('warn: faulty: server exited'));
    assert.ok(crash?.endsWith('; restarting in 50 ms'), crash);
    await server.stop(0);
  });
});
