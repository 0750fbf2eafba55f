import { strict as assert } from 'node:assert';
import type { CachedAnswer } from '../../../src/core/store/cache-types';
import { partitionPolicy } from '../../../src/core/store/partitions';

const answer = (contextType: string, server?: string): CachedAnswer => ({
  content: 'x',
  source: 'docs',
  contextType,
  storedAt: 0,
  ...(server !== undefined ? { metadata: { server } } : {}),
});

describe('shared cache partitions', () => {
  const policy = partitionPolicy({ sharedServers: ['context7', 'docs-internal'], privateServers: ['docs-internal'] });

  it('shares the answers of public docs servers: library docs and resolved library ids', () => {
    assert.equal(policy.partitionOf(answer('library_api', 'context7')), 'shared');
    assert.equal(
      policy.partitionOf(answer('gateway_tool', 'context7')),
      'shared',
      'resolve-library-id through the gateway',
    );
  });

  it('keeps private what comes from other servers, from servers marked private, or from nobody', () => {
    assert.equal(policy.partitionOf(answer('library_api', 'memory-bank')), 'private', 'project memory');
    assert.equal(policy.partitionOf(answer('library_api', 'github')), 'private', 'the repository may be private');
    assert.equal(policy.partitionOf(answer('library_api', 'docs-internal')), 'private', 'private_servers wins');
    assert.equal(policy.partitionOf(answer('library_api')), 'private', 'a stored value (a remembered fix)');
  });

  it('puts a fix remembered for the team, and nothing else, in the team partition', () => {
    const teamFix: CachedAnswer = { ...answer('error_solution'), metadata: { teamMemory: true } };
    assert.equal(policy.partitionOf(teamFix), 'team');
    assert.equal(
      policy.partitionOf({ ...answer('project_memory'), metadata: { teamMemory: true } }),
      'private',
      'only error solutions can be team memory',
    );
    assert.equal(
      policy.partitionOf({ ...answer('error_solution'), metadata: { teamMemory: 'yes' } }),
      'private',
      'the flag is exactly true',
    );
  });

  it('keeps error solutions and project memory private whoever answered', () => {
    assert.equal(policy.partitionOf(answer('error_solution', 'context7')), 'private');
    assert.equal(policy.partitionOf(answer('project_memory', 'context7')), 'private');
  });
});
