import { strict as assert } from 'node:assert';
import path from 'node:path';
import type { FixResult } from '../../../src/core/fixes/types';
import { LearningSystem } from '../../../src/core/learning/learning-system';
import { learnFixOutcome } from '../../../src/core/runtime/fix-outcome';
import { cleanTempDirsAfter, tempDir } from '../../helpers/temp';

const fix = (trail: FixResult['trail']): FixResult => ({
  success: true,
  content: 'pin numpy<2',
  source: trail.at(-1)?.layer ?? 'local-cache',
  latencyMs: 40,
  cached: false,
  contextType: 'error_solution',
  trail,
  signature: 'ModuleNotFoundError: <name>',
});

describe('learning from a fix outcome', () => {
  cleanTempDirsAfter();

  it('credits the layer that found the fix with success or failure; a cached fix teaches nothing', async () => {
    const learning = await LearningSystem.create({ file: path.join(tempDir('fix-outcome-'), 'learning.json') });
    const found = fix([
      { layer: 'local-cache', outcome: 'miss', latencyMs: 1 },
      { layer: 'memory', outcome: 'hit', latencyMs: 30 },
    ]);
    learnFixOutcome(learning, found, true);
    learnFixOutcome(learning, found, true);
    learnFixOutcome(learning, fix([{ layer: 'local-cache', outcome: 'hit', latencyMs: 0.2 }]), false);
    const memory = learning.estimate('error_solution', 'memory');
    assert.ok(memory && memory.samples > 1.9 && memory.successRate > 0.5);
    assert.equal(learning.estimate('error_solution', 'local-cache'), undefined);
    learnFixOutcome(learning, found, false);
    learnFixOutcome(learning, found, false);
    learnFixOutcome(learning, found, false);
    assert.ok((learning.estimate('error_solution', 'memory')?.successRate ?? 1) < memory.successRate);
    await learning.dispose();
  });
});
