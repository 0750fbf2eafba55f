/**
 * Generated source files with known truth for the detection benchmark: real imports (top-level and
 * nested in functions) and decoys in strings and comments that must never count.
 */
export interface CorpusFile {
  language: string;
  text: string;
  lines: number;
  /** Modules really imported. */
  truth: Set<string>;
  /** A row inside a function body where a one-character edit is harmless. */
  editRow: number;
}

interface Generator {
  header(modules: string[]): string;
  block(i: number, nested: string): string;
}

const generators: Record<string, Generator> = {
  python: {
    header: (ms) => ms.map((m, i) => (i % 2 ? `from ${m}.sub import thing${i}` : `import ${m}`)).join('\n'),
    block: (i, nested) =>
      `def f${i}(x):\n    """Docs.\n    import decoy_doc${i}\n    """\n    # import decoy_comment${i}\n    s = "from decoy_str${i} import y"\n    import ${nested}\n    return x + ${i}\n`,
  },
  typescript: {
    header: (ms) =>
      ms
        .map((m, i) => (i % 2 ? `import { a${i} } from '${m}/sub';` : `import ${m.replace(/-/g, '_')} from '${m}';`))
        .join('\n'),
    block: (i, nested) =>
      `export async function f${i}(x: number): Promise<number> {\n  // import x from 'decoy-comment-${i}';\n  const s = "require('decoy-str-${i}')";\n  const m = await import('${nested}');\n  return x + ${i} + s.length + Object.keys(m).length;\n}\n`,
  },
  go: {
    header: (ms) => `package main\n\nimport (\n${ms.map((m) => `\t"github.com/${m}/${m}"`).join('\n')}\n)`,
    block: (i) =>
      `// import "decoy/comment${i}"\nvar r${i} = \`\nimport "decoy/raw${i}"\n\`\nfunc f${i}(x int) int {\n\ts := "import \\"decoy/str${i}\\""\n\treturn x + ${i} + len(s)\n}\n`,
  },
  rust: {
    header: (ms) => ms.map((m, i) => (i % 2 ? `use ${m}::{A${i}, b::C};` : `use ${m};`)).join('\n'),
    block: (i, nested) =>
      `/*\nuse decoy_block${i}::x;\n*/\nfn f${i}(x: i64) -> i64 {\n    use ${nested}::Thing;\n    let s = "use decoy_str${i}::y;";\n    x + ${i} + s.len() as i64\n}\n`,
  },
  java: {
    header: (ms) => `package bench;\n\n${ms.map((m) => `import org.${m}.Thing;`).join('\n')}\n\npublic class Gen {`,
    block: (i) =>
      `    /*\n    import decoy.block${i}.Thing;\n    */\n    String s${i} = "import decoy.str${i}.Thing;";\n    int f${i}(int x) {\n        return x + ${i};\n    }\n`,
  },
};

const REAL = Array.from({ length: 12 }, (_, i) => `reallib${i}`);
const NESTED = Array.from({ length: 6 }, (_, i) => `nestedlib${i}`);

function expectedModule(language: string, base: string): string {
  if (language === 'go') return `github.com/${base}/${base}`;
  if (language === 'java') return `org.${base}`;
  return base;
}

export function generate(language: string, targetLines: number): CorpusFile {
  const gen = generators[language];
  if (!gen) throw new Error(`no generator for ${language}`);
  const parts = [gen.header(REAL)];
  const truth = new Set(REAL.map((m) => expectedModule(language, m)));
  let lines = parts[0]!.split('\n').length;
  let editRow = 0;
  for (let i = 0; lines < targetLines; i++) {
    const nested = NESTED[i % NESTED.length]!;
    const block = gen.block(i, nested);
    if (block.includes(nested)) truth.add(expectedModule(language, nested));
    if (!editRow && lines > targetLines / 2) editRow = lines + 2;
    parts.push(block);
    lines += block.split('\n').length - 1;
  }
  if (language === 'java') parts.push('}');
  const text = `${parts.join('\n')}\n`;
  return { language, text, lines: text.split('\n').length, truth, editRow: editRow || 1 };
}

export const BENCH_LANGUAGES = Object.keys(generators);
