/**
 * `shared_cache` in mcp-config.yaml: the result cache's shared level on Redis. Without a `url`
 * there is none. Read only from the shipped defaults, the user's file and a trusted workspace's
 * (a workspace could otherwise send a person's private answers to a Redis of its choosing).
 */
import { z } from 'zod';

const positiveMs = z.number().int().positive();

export const sharedCacheSchema = z
  .strictObject({
    url: z
      .string()
      .min(1)
      .optional()
      .describe(
        'redis:// or rediss:// URL of the team Redis, usually "${secret:REDIS_URL}" (it may carry a password). Without it there is no shared level.',
      ),
    prefix: z
      .string()
      .regex(/^[A-Za-z0-9_.:-]{0,64}$/u, 'the prefix uses up to 64 letters, digits, _ . : -')
      .default('mcpi:')
      .describe('Prepended to every key, so several teams or products can share one Redis.'),
    partition: z
      .string()
      .min(1)
      .max(200)
      .default('${env:USER}')
      .describe('Where this instance keeps private answers (project memory, error solutions, private servers).'),
    op_timeout_ms: positiveMs
      .max(10_000)
      .default(50)
      .describe('Bound on every Redis operation; a slower Redis is skipped, never waited for.'),
    connect_timeout_ms: positiveMs.max(60_000).default(2_000).describe('Bound on establishing a connection.'),
    max_entry_bytes: z
      .number()
      .int()
      .positive()
      .default(2 * 1024 * 1024)
      .describe('Entries larger than this stay local.'),
    lease: z
      .strictObject({
        ttl_ms: positiveMs
          .default(5_000)
          .describe('Lifetime of a single-flight lease without renewal: how long a dead holder blocks the others.'),
        wait_ms: positiveMs
          .default(10_000)
          .describe("Most time a miss waits for another instance's answer before going upstream itself."),
        max_hold_ms: positiveMs
          .default(120_000)
          .describe('Most time a holder keeps renewing its lease (longer than any upstream call).'),
      })
      .prefault({}),
    team_memory: z
      .boolean()
      .default(false)
      .describe(
        "Remembered fixes go to the team partition (every instance with this prefix finds them), marked with this instance's partition name as who remembered them. Off: they stay in `partition`.",
      ),
    private_servers: z
      .array(z.string().min(1))
      .default([])
      .describe("Servers whose answers always stay in this instance's partition, even docs servers."),
  })
  .prefault({});

export type SharedCacheFile = z.output<typeof sharedCacheSchema>;
