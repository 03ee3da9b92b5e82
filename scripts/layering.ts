// The layering rule of DESIGN.md, as data plus one pure checker:
//   electron/core, shared and idp import nothing from `electron`;
//   electron/app (the controller) imports nothing from electron/main or electron/preload, nor `electron`;
//   renderer imports nothing from Node (builtins, or the node-only folders);
//   shared imports nothing from Node either, since the renderer uses it too.
import { builtinModules } from 'node:module';
import { dirname, join, normalize, relative } from 'node:path';
import ts from 'typescript';

export interface SourceFile {
  path: string; // repo-relative, forward slashes
  text: string;
}

export interface Violation {
  file: string;
  specifier: string;
  rule: string;
}

interface Rule {
  name: string;
  appliesTo: (file: string) => boolean;
  forbids: (specifier: string, resolvedRepoPath: string | null) => boolean;
}

const NODE_BUILTINS = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
const isNodeBuiltin = (spec: string) => spec.startsWith('node:') || NODE_BUILTINS.has(spec.split('/')[0]!);
const isElectron = (spec: string) => spec === 'electron' || spec.startsWith('electron/');
const under = (folder: string) => (path: string) => path === folder || path.startsWith(`${folder}/`);
const NODE_ONLY_FOLDERS = ['electron', 'idp', 'scripts', 'testkit'].map(under);

export const RULES: Rule[] = [
  {
    name: 'electron/core, shared and idp must not import electron',
    appliesTo: (f) => ['electron/core', 'shared', 'idp'].some((d) => under(d)(f)),
    forbids: (spec, resolved) => isElectron(spec) || (resolved !== null && (under('electron/main')(resolved) || under('electron/preload')(resolved))),
  },
  {
    // DESIGN.md "Ports": the controller declares the ports the shell implements, so the shell imports
    // the controller's folder and never the reverse (and the browser e2e tests run it without Electron).
    name: 'electron/app must not import electron/main, electron/preload or electron',
    appliesTo: under('electron/app'),
    forbids: (spec, resolved) => isElectron(spec) || (resolved !== null && (under('electron/main')(resolved) || under('electron/preload')(resolved))),
  },
  {
    name: 'renderer must not import Node',
    appliesTo: under('renderer'),
    forbids: (spec, resolved) => isNodeBuiltin(spec) || isElectron(spec) || (resolved !== null && NODE_ONLY_FOLDERS.some((f) => f(resolved))),
  },
  {
    name: 'shared must not import Node (the renderer uses it)',
    appliesTo: under('shared'),
    forbids: (spec, resolved) => isNodeBuiltin(spec) || (resolved !== null && NODE_ONLY_FOLDERS.some((f) => f(resolved))),
  },
];

/** Every import, export-from, dynamic import() and require() specifier in a file. */
export function importSpecifiers(text: string): string[] {
  return ts.preProcessFile(text, true, true).importedFiles.map((f) => f.fileName);
}

function resolveRelative(fromFile: string, spec: string): string | null {
  if (!spec.startsWith('.')) return null;
  return relative('.', normalize(join(dirname(fromFile), spec))).split('\\').join('/');
}

const isTestCode = (path: string) => /\.test\.tsx?$/.test(path) || /(^|\/)test\//.test(path);

export function findLayeringViolations(files: SourceFile[]): Violation[] {
  return files
    .filter((f) => !isTestCode(f.path))
    .flatMap((file) =>
      importSpecifiers(file.text).flatMap((specifier) => {
        const resolved = resolveRelative(file.path, specifier);
        return RULES.filter((r) => r.appliesTo(file.path) && r.forbids(specifier, resolved)).map((r) => ({
          file: file.path,
          specifier,
          rule: r.name,
        }));
      }),
    );
}
