/** Which layers may answer a context type, and in what order. */
import type { ContextType } from '../knowledge';
import type { Logger } from '../ports';
import type { HierarchyLayer } from './types';

export interface RoutingRules {
  /** Sorted by priority. */
  layers: HierarchyLayer[];
  authority: Record<ContextType, string[]>;
  routeOrder?: (contextType: ContextType, layerNames: string[]) => string[];
  logger?: Logger;
}

/** The layers allowed for a context type, in priority order (a type without a rule may use all). */
export function allowedLayers(rules: RoutingRules, contextType: ContextType): HierarchyLayer[] {
  const names = Object.prototype.hasOwnProperty.call(rules.authority, contextType)
    ? rules.authority[contextType]
    : undefined;
  if (!names) return rules.layers;
  // Asked twice per upstream lookup (walk and write-back); the rules do not change, so the answer is kept.
  const memo = (allowedByType.get(rules) ?? allowedByType.set(rules, new Map()).get(rules)) as Map<
    ContextType,
    HierarchyLayer[]
  >;
  let allowed = memo.get(contextType);
  if (!allowed) {
    const allowedNames = new Set(names);
    allowed = rules.layers.filter((layer) => allowedNames.has(layer.name));
    memo.set(contextType, allowed);
  }
  return allowed;
}

const allowedByType = new WeakMap<RoutingRules, Map<ContextType, HierarchyLayer[]>>();

/**
 * The allowed layers in walking order. `routeOrder` (the LearningSystem) may reorder them but never
 * add one: unknown or forbidden names are dropped and allowed layers it forgot are appended in
 * priority order. A hook that throws or returns no list falls back to priority order.
 */
export function routeLayers(rules: RoutingRules, contextType: ContextType): HierarchyLayer[] {
  const allowed = allowedLayers(rules, contextType);
  if (!rules.routeOrder || allowed.length < 2) return allowed;
  let preferred: string[];
  try {
    preferred = rules.routeOrder(
      contextType,
      allowed.map((layer) => layer.name),
    );
  } catch (error) {
    rules.logger?.warn('routeOrder failed; using priority order', error);
    return allowed;
  }
  if (!Array.isArray(preferred)) return allowed;
  const byName = new Map(allowed.map((layer) => [layer.name, layer]));
  const ordered: HierarchyLayer[] = [];
  for (const name of preferred) {
    const layer = byName.get(name);
    if (layer) {
      ordered.push(layer);
      byName.delete(name);
    }
  }
  return [...ordered, ...byName.values()];
}
