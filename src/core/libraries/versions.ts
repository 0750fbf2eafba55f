/**
 * Picks the versioned library id for a manifest version: `^14.2.1` with listed `v13.5.6`, `v14.3.0`
 * → `v14.3.0` (same major; same minor preferred). No listed match → the unversioned id.
 */
function numbers(version: string): number[] {
  const match = /(\d+)(?:\.(\d+))?(?:\.(\d+))?/.exec(version);
  return match
    ? // Groups that did not take part in the match are undefined.
      (match.slice(1) as (string | undefined)[]).filter((part): part is string => part !== undefined).map(Number)
    : [];
}

export function selectVersion(manifestVersion: string | undefined, listed: readonly string[]): string | undefined {
  if (!manifestVersion || listed.length === 0) return undefined;
  const wanted = numbers(manifestVersion);
  if (wanted.length === 0) return undefined;
  let best: { version: string; score: number } | undefined;
  for (const version of listed) {
    const have = numbers(version);
    if (have[0] !== wanted[0]) continue;
    const score = have[1] === wanted[1] ? (have[2] === wanted[2] ? 3 : 2) : 1;
    if (!best || score > best.score) best = { version, score };
  }
  return best?.version;
}

export function versionedId(id: string, version: string | undefined): string {
  return version ? `${id}/${version}` : id;
}
