import { strict as assert } from 'node:assert';
import { promises as fs, statSync, writeFileSync } from 'node:fs';
import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import path from 'node:path';
import { OAuthError } from '@modelcontextprotocol/server';
import { guardsFor } from '../../../src/core/serve/bind-guards';
import { ConnectionGuard } from '../../../src/core/serve/connection-guard';
import { generateToken, readTokenFile, staticTokenVerifier } from '../../../src/core/serve/token';
import { tempDir } from '../../helpers/temp';

describe('serve tokens', () => {
  it('generates a random token into a file only the user can read', async () => {
    const dir = path.join(tempDir('serve-token-'), 'storage');
    const first = await generateToken(dir);
    const second = await generateToken(dir);
    assert.equal(first.generated, true);
    assert.ok((first.tokens[0] ?? '').length >= 40);
    assert.notEqual(first.tokens[0], second.tokens[0], 'each start makes a new token');
    assert.equal(statSync(second.file).mode & 0o777, 0o600);
    assert.equal((await fs.readFile(second.file, 'utf8')).trim(), second.tokens[0]);
  });

  it('reads one token per line, skipping blanks and comments, and refuses weak or empty files', async () => {
    const dir = tempDir('serve-token-file-');
    const file = path.join(dir, 'tokens');
    writeFileSync(file, '# team tokens\nalpha-0123456789abcdef\n\n  beta-0123456789abcdef  \n');
    assert.deepEqual((await readTokenFile(file)).tokens, ['alpha-0123456789abcdef', 'beta-0123456789abcdef']);
    writeFileSync(file, '# nothing\n\n');
    await assert.rejects(readTokenFile(file), /has no token/);
    writeFileSync(file, 'short\n');
    await assert.rejects(readTokenFile(file), /token 1 .* shorter than 16/);
    await assert.rejects(readTokenFile(path.join(dir, 'missing')), /cannot read the token file .*ENOENT/);
    await assert.rejects(readTokenFile(dir), /not a regular file/);
  });

  it('the verifier accepts only the listed tokens, with an expiry as the SDK requires', async () => {
    const verifier = staticTokenVerifier(['alpha-0123456789abcdef', 'beta-0123456789abcdef']);
    const info = await verifier.verifyAccessToken('beta-0123456789abcdef');
    assert.equal(info.clientId, 'token-2');
    assert.ok((info.expiresAt ?? 0) > Date.now() / 1000);
    await assert.rejects(verifier.verifyAccessToken('alpha-0123456789abcdeX'), (error: unknown) => {
      assert.ok(error instanceof OAuthError);
      assert.equal(error.code, 'invalid_token');
      return true;
    });
  });
});

describe('serve bind guards (the SDK host and origin checks)', () => {
  let server: Server;
  let port: number;
  let guards: ReturnType<typeof guardsFor>;

  before(async () => {
    server = createServer((req, res) => {
      if (!guards.host(req, res) || !guards.origin(req, res)) return;
      res.writeHead(200).end('ok');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    port = (server.address() as AddressInfo).port;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const get = (headers: Record<string, string>): Promise<number> =>
    new Promise((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path: '/mcp', headers }, (res: IncomingMessage) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end();
    });

  it('a loopback bind accepts loopback Host and Origin and refuses others with 403', async () => {
    guards = guardsFor('127.0.0.1');
    assert.equal(await get({ host: `127.0.0.1:${port}` }), 200);
    assert.equal(await get({ host: `localhost:${port}`, origin: `http://localhost:3000` }), 200);
    assert.equal(await get({ host: `evil.example:${port}` }), 403);
    assert.equal(await get({ host: `127.0.0.1:${port}`, origin: 'https://evil.example' }), 403);
    assert.equal(await get({ host: `127.0.0.1:${port}`, origin: 'null' }), 403);
  });

  it('another address accepts its own name and the allowed hosts only', async () => {
    guards = guardsFor('10.1.2.3', ['mcp.team.internal']);
    assert.deepEqual(guards.allowed, ['10.1.2.3', 'mcp.team.internal']);
    assert.equal(await get({ host: `mcp.team.internal:${port}` }), 200);
    assert.equal(await get({ host: `127.0.0.1:${port}` }), 403);
  });

  it('a wildcard bind needs allowed hosts', () => {
    assert.throws(() => guardsFor('0.0.0.0'), /--allowed-host/);
    assert.throws(() => guardsFor('::'), /--allowed-host/);
    assert.deepEqual(guardsFor('::', ['box.local']).allowed, ['box.local']);
  });
});

describe('ConnectionGuard', () => {
  it('closes the oldest unproven connection over the cap and never a proven one', async () => {
    const guard = new ConnectionGuard(3);
    const accepted: Socket[] = [];
    const server = createServer();
    server.on('connection', (socket: Socket) => {
      accepted.push(socket);
      guard.accept(socket);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    const { port } = server.address() as AddressInfo;
    const open = async (): Promise<Socket> => {
      const before = accepted.length;
      const socket = connect(port, '127.0.0.1');
      socket.on('error', () => undefined);
      await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
      while (accepted.length === before) await new Promise((r) => setImmediate(r));
      return socket;
    };
    try {
      await open();
      guard.prove(accepted[0]!);
      for (let i = 0; i < 10; i++) await open();
      assert.equal(guard.unprovenCount, 3);
      assert.equal(guard.closedCount, 7);
      assert.equal(accepted[0]!.destroyed, false, 'the proven connection is still open');
      assert.equal(accepted[1]!.destroyed, true, 'the oldest unproven ones were closed');
      assert.equal(accepted[10]!.destroyed, false, 'the newest are kept');
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
