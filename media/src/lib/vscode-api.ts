/** The webview side of VS Code's bridge, typed once for both webview scripts. */
export interface WebviewApi<State> {
  postMessage(message: unknown): void;
  getState(): State | undefined;
  setState(state: State): void;
}

declare function acquireVsCodeApi<State>(): WebviewApi<State>;

/** May be called only once per page, so each script calls it once at start-up. */
export function getVsCodeApi<State>(): WebviewApi<State> {
  return acquireVsCodeApi<State>();
}

/** Looks up an element of the static page skeleton, failing loudly if the skeleton changed. */
export function byId<T extends HTMLElement>(id: string): T {
  const element = document.getElementById(id);
  if (!element) throw new Error(`missing #${id}`);
  return element as T;
}

/** Replaces an element's children with table rows built from plain text cells. */
export function fillRows(
  body: HTMLElement,
  rows: readonly (readonly string[])[],
  emptyText: string,
  columns: number,
): void {
  body.replaceChildren();
  if (rows.length === 0) {
    const tr = body.appendChild(document.createElement('tr'));
    const td = tr.appendChild(document.createElement('td'));
    td.colSpan = columns;
    td.className = 'empty';
    td.textContent = emptyText;
    return;
  }
  for (const row of rows) {
    const tr = body.appendChild(document.createElement('tr'));
    for (const cell of row) tr.appendChild(document.createElement('td')).textContent = cell;
  }
}
