import { strict as assert } from 'node:assert';
import { allowedLayers, routeLayers, type RoutingRules } from '../../../src/core/hierarchy/routing';
import { recordingLogger } from '../../helpers/recording-logger';
import { layer } from './fake-adapter';

const memory = layer('memory', 1, []);
const code = layer('code-symbols', 2, []);
const docs = layer('docs', 3, []);

function rules(overrides: Partial<RoutingRules> = {}): RoutingRules {
  return {
    layers: [memory, code, docs],
    authority: { library_api: ['memory', 'docs'], error_solution: ['memory'] },
    ...overrides,
  };
}

const names = (layers: { name: string }[]): string[] => layers.map((l) => l.name);

describe('hierarchy/routing', () => {
  it('allows the layers an authority rule names, in priority order, and every layer to a type without a rule', () => {
    const r = rules();
    assert.deepEqual(names(allowedLayers(r, 'library_api')), ['memory', 'docs']);
    assert.deepEqual(names(allowedLayers(r, 'code_symbol')), ['memory', 'code-symbols', 'docs']);
  });

  it('hands out the same list for a context type again: the rules are read once', () => {
    const r = rules();
    assert.equal(allowedLayers(r, 'library_api'), allowedLayers(r, 'library_api'));
  });

  it('does not ask the learned order when there is none or only one layer to order', () => {
    let asked = 0;
    const r = rules({
      routeOrder: (_type, layerNames) => {
        asked++;
        return [...layerNames].reverse();
      },
    });
    assert.deepEqual(names(routeLayers(r, 'error_solution')), ['memory']);
    assert.equal(asked, 0);
    assert.deepEqual(names(routeLayers(rules(), 'library_api')), ['memory', 'docs']);
    assert.deepEqual(names(routeLayers(r, 'library_api')), ['docs', 'memory']);
    assert.equal(asked, 1);
  });

  it('follows the learned order but never adds a layer: unknown and forbidden names are dropped, forgotten ones appended', () => {
    const r = rules({ routeOrder: () => ['docs', 'github', 'code-symbols', 'docs'] });
    assert.deepEqual(names(routeLayers(r, 'library_api')), ['docs', 'memory']);
  });

  it('keeps the priority order, with a warning, when the learned order throws or is not a list', () => {
    const logger = recordingLogger();
    const throwing = rules({
      logger,
      routeOrder: () => {
        throw new Error('learning state unreadable');
      },
    });
    assert.deepEqual(names(routeLayers(throwing, 'library_api')), ['memory', 'docs']);
    assert.deepEqual(logger.at('warn'), ['routeOrder failed; using priority order Error: learning state unreadable']);
    const notAList = rules({ routeOrder: () => null as unknown as string[] });
    assert.deepEqual(names(routeLayers(notAList, 'library_api')), ['memory', 'docs']);
    const withoutLogger = rules({ routeOrder: throwing.routeOrder });
    assert.deepEqual(names(routeLayers(withoutLogger, 'library_api')), ['memory', 'docs']);
  });
});
