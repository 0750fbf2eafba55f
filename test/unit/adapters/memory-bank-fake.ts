/**
 * An in-process imitation of memory-bank's observable behaviour (including its quirks: write on an
 * existing file does nothing, missing project/file are isError results) for unit tests.
 */
import { FakeToolCaller, text } from './fake-caller';

export function memoryBankFake(): { caller: FakeToolCaller; files: Map<string, string> } {
  const files = new Map<string, string>(); // "project/file" → content
  const missing = (what: string) =>
    text(JSON.stringify({ name: 'NotFoundError', error: `Resource not found: ${what}` }), true);
  const projects = () => [...new Set([...files.keys()].map((key) => key.split('/')[0]))];
  const caller = new FakeToolCaller('memory-bank', {
    list_projects: () => text(projects().toString()),
    list_project_files: ({ projectName }) => {
      if (!projects().includes(String(projectName))) {
        return text(
          JSON.stringify({
            name: 'UnexpectedError',
            error: `ENOENT: no such file or directory, stat '/root/${String(projectName)}'`,
          }),
          true,
        );
      }
      return text(
        [...files.keys()]
          .filter((k) => k.startsWith(`${String(projectName)}/`))
          .map((k) => k.split('/')[1])
          .toString(),
      );
    },
    memory_bank_read: ({ projectName, fileName }) => {
      const content = files.get(`${String(projectName)}/${String(fileName)}`);
      return content === undefined ? missing(String(fileName)) : text(content);
    },
    memory_bank_write: ({ projectName, fileName, content }) => {
      const key = `${String(projectName)}/${String(fileName)}`;
      if (!files.has(key)) files.set(key, String(content)); // the quirk: existing files stay as they were
      return text(`File ${String(fileName)} written successfully to project ${String(projectName)}`);
    },
    memory_bank_update: ({ projectName, fileName, content }) => {
      const key = `${String(projectName)}/${String(fileName)}`;
      if (!files.has(key)) return missing(String(fileName));
      files.set(key, String(content));
      return text(`File ${String(fileName)} updated successfully in project ${String(projectName)}`);
    },
  });
  return { caller, files };
}
