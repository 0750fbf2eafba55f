/**
 * A generated multi-language workspace for the `members` benchmark: Python, TypeScript, Go, Rust
 * and Java files that import well-known libraries and call their APIs the way application code
 * does (aliases, named imports, chains, macros, static imports, locals that shadow an import),
 * plus manifests with versions. Deterministic: the same files every run.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

interface Library {
  /** Import lines. */
  imports: string[];
  /** Expressions that use the library's members. */
  uses: string[];
}

type Language = 'python' | 'typescript' | 'go' | 'rust' | 'java';

const LIBRARIES: Record<Language, Library[]> = {
  python: [
    {
      imports: ['import numpy as np'],
      uses: [
        'np.zeros((3, 3))',
        'np.reshape(x, (-1, 1))',
        'np.linalg.norm(x)',
        'np.arange(10)',
        'np.concatenate([x, x])',
      ],
    },
    {
      imports: ['import pandas as pd'],
      uses: ['pd.read_csv(path)', 'pd.DataFrame(rows)', 'pd.concat([a, b])', 'pd.to_datetime(col)'],
    },
    {
      imports: ['import requests'],
      uses: ['requests.get(url, timeout=5)', 'requests.post(url, json=body)', 'requests.Session()'],
    },
    {
      imports: ['import torch', 'from torch import nn'],
      uses: ['torch.tensor(x)', 'nn.Linear(4, 2)', 'torch.optim.SGD(params, lr=0.1)', 'torch.no_grad()'],
    },
    {
      imports: [
        'from sklearn.model_selection import train_test_split',
        'from sklearn.linear_model import LogisticRegression',
      ],
      uses: ['train_test_split(x, y)', 'LogisticRegression(max_iter=100)'],
    },
    { imports: ['import matplotlib.pyplot as plt'], uses: ['plt.plot(x)', 'plt.savefig(path)', 'plt.figure()'] },
  ],
  typescript: [
    {
      imports: ["import { useState, useEffect, useMemo } from 'react';"],
      uses: ['useState(0)', 'useEffect(() => undefined, [])', 'useMemo(() => x, [x])'],
    },
    {
      imports: ["import express from 'express';"],
      uses: ['express()', 'express.json()', 'express.Router()', "express.static('public')"],
    },
    { imports: ["import { z } from 'zod';"], uses: ['z.object({ id: z.string() })', 'z.number()'] },
    { imports: ["import _ from 'lodash';"], uses: ["_.pick(x, ['a'])", '_.debounce(f, 100)', '_.groupBy(rows, key)'] },
    {
      imports: ["import axios from 'axios';"],
      uses: ['axios.get(url)', 'axios.post(url, body)', 'axios.create({ baseURL: url })'],
    },
  ],
  go: [
    { imports: ['"github.com/gin-gonic/gin"'], uses: ['gin.Default()', 'gin.New()', 'gin.H{"ok": true}'] },
    { imports: ['"github.com/spf13/cobra"'], uses: ['&cobra.Command{Use: "run"}', 'cobra.ExactArgs(1)'] },
  ],
  rust: [
    {
      imports: ['use tokio::time::sleep;'],
      uses: ['tokio::spawn(async {})', 'sleep(d)', 'tokio::sync::Mutex::new(0)'],
    },
    {
      imports: ['use serde_json::json;'],
      uses: ['json!({ "a": 1 })', 'serde_json::to_string(&v)', 'serde_json::from_str::<V>(s)'],
    },
    { imports: ['use reqwest::Client;'], uses: ['Client::new()', 'reqwest::get(url)'] },
  ],
  java: [
    {
      imports: ['import com.google.common.collect.ImmutableList;', 'import com.google.common.collect.Lists;'],
      uses: ['ImmutableList.of(1, 2)', 'Lists.newArrayList()', 'ImmutableList.copyOf(x)'],
    },
    { imports: ['import com.fasterxml.jackson.databind.ObjectMapper;'], uses: ['new ObjectMapper()'] },
  ],
};

const EXTENSION: Record<Language, string> = { python: 'py', typescript: 'ts', go: 'go', rust: 'rs', java: 'java' };

/** A small deterministic generator (mulberry32). */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pickSome<T>(next: () => number, items: readonly T[], count: number): T[] {
  const pool = [...items];
  const out: T[] = [];
  while (out.length < count && pool.length > 0) out.push(pool.splice(Math.floor(next() * pool.length), 1)[0] as T);
  return out;
}

/** One function per use, in the language's syntax; `shadow` adds a local that reuses an import's name. */
function functionText(language: Language, index: number, use: string): string {
  switch (language) {
    case 'python':
      return `def step_${index}(x, y, rows, path, url, body, params, col, a, b):\n    # ${use} in a comment\n    result = ${use}\n    return result\n`;
    case 'typescript':
      return `export function step${index}(x: any, rows: any, url: string, body: unknown, f: () => void, key: string) {\n  // ${use} in a comment\n  const result = ${use};\n  return result;\n}\n`;
    case 'go':
      return `func step${index}() interface{} {\n\t// ${use} in a comment\n\tresult := ${use}\n\treturn result\n}\n`;
    case 'rust':
      return `pub async fn step${index}(d: Duration, v: Value, s: &str, url: &str, x: Vec<u8>) {\n    // ${use} in a comment\n    let _result = ${use};\n}\n`;
    case 'java':
      return `  Object step${index}(java.util.List<Integer> x) {\n    // ${use} in a comment\n    return ${use};\n  }\n`;
  }
}

function fileText(language: Language, libraries: Library[], uses: string[]): string {
  const imports = libraries.flatMap((l) => l.imports);
  const body = uses.map((use, i) => functionText(language, i, use)).join('\n');
  switch (language) {
    case 'python':
      return `"""Generated module."""\n${imports.join('\n')}\n\n\n${body}`;
    case 'typescript':
      return `${imports.join('\n')}\n\n${body}`;
    case 'go':
      return `package app\n\nimport (\n${imports.map((i) => `\t${i}`).join('\n')}\n)\n\n${body}`;
    case 'rust':
      return `${imports.join('\n')}\nuse std::time::Duration;\n\n${body}`;
    case 'java':
      return `package com.example.app;\n\n${imports.join('\n')}\n\npublic class Gen {\n${body}}\n`;
  }
}

const MANIFESTS: Record<string, string> = {
  'requirements.txt':
    'numpy==2.1.0\npandas==2.2.3\nrequests==2.32.3\ntorch==2.5.1\nscikit-learn==1.6.0\nmatplotlib==3.10.0\n',
  'package.json': JSON.stringify({
    dependencies: { react: '^19.0.0', express: '^5.0.1', zod: '^4.0.0', lodash: '^4.17.21', axios: '^1.7.9' },
  }),
  'go.mod':
    'module example.com/app\n\ngo 1.22\n\nrequire (\n\tgithub.com/gin-gonic/gin v1.10.0\n\tgithub.com/spf13/cobra v1.8.1\n)\n',
  'Cargo.toml':
    '[package]\nname = "app"\nversion = "0.1.0"\n\n[dependencies]\ntokio = "1.42"\nserde_json = "1.0"\nreqwest = "0.12"\n',
  'pom.xml':
    '<project><dependencies><dependency><groupId>com.google.guava</groupId><artifactId>guava</artifactId><version>33.3.1-jre</version></dependency><dependency><groupId>com.fasterxml.jackson.core</groupId><artifactId>jackson-databind</artifactId><version>2.18.2</version></dependency></dependencies></project>',
};

/** Writes `filesPerLanguage` files per language (and the manifests) under `dir`; returns the file paths. */
export function writeMemberWorkspace(dir: string, filesPerLanguage = 7, seed = 7): string[] {
  const next = random(seed);
  const files: string[] = [];
  for (const [name, text] of Object.entries(MANIFESTS)) writeFileSync(path.join(dir, name), text);
  for (const language of Object.keys(LIBRARIES) as Language[]) {
    const folder = path.join(dir, language);
    mkdirSync(folder, { recursive: true });
    for (let i = 0; i < filesPerLanguage; i++) {
      const libraries = pickSome(next, LIBRARIES[language], Math.min(2, LIBRARIES[language].length));
      const uses = libraries.flatMap((l) => pickSome(next, l.uses, 1 + Math.floor(next() * l.uses.length)));
      const file = path.join(folder, `module_${i}.${EXTENSION[language]}`);
      writeFileSync(file, fileText(language, libraries, uses));
      files.push(file);
    }
  }
  return files;
}

/** A `lines`-line file of one language with imports and member uses throughout, for edit costs. */
export function largeFile(language: Language | 'javascript' | 'typescriptreact', lines: number): string {
  const base: Language = language === 'javascript' || language === 'typescriptreact' ? 'typescript' : language;
  const libraries = LIBRARIES[base];
  const pool = libraries.flatMap((l) => l.uses);
  const perFunction = functionText(base, 0, pool[0] as string).split('\n').length;
  const uses = Array.from({ length: Math.ceil(lines / perFunction) }, (_, i) => pool[i % pool.length] as string);
  let text = fileText(base, libraries, uses);
  if (language === 'javascript') text = text.replace(/: (any|string|unknown|\(\) => void)/g, '');
  return text;
}
