import path from 'node:path';
import ts from 'typescript';

/**
 * Fails when the TypeScript files under a directory import each other in a cycle
 * (`npm run check:cycles`, part of `npm run lint`): `ts-node --swc scripts/check-import-cycles.ts
 * src [more dirs]` prints every cycle as a chain of files and exits with 1 when there is one.
 *
 * An import is any static `import` or `export … from`, `import x = require()`, `require()`,
 * `import()` and `import('…')` type, resolved as the compiler resolves it (the nearest
 * tsconfig.json's options), kept when it lands on a file under the directory. Type-only imports
 * (`import type`, `export type`, imports whose every name is `type`, `import('…')` types) count
 * as much as the others: they create no cycle at run time, since the compiled code drops them,
 * but they couple the files as much, and the rule is "no import cycle anywhere". The chains mark
 * them `(type only)`, so a cycle that would bite at run time stands out.
 *
 * Every import that takes part in a cycle shows in at least one chain: per such import, the
 * shortest way back to the importing file.
 */

export interface ImportCycle {
  /** The files in import order, absolute; the last is the first again. */
  files: string[];
  /** Per import of the chain (files[i] → files[i + 1]): whether it is type-only. */
  typeOnly: boolean[];
}

interface Import {
  specifier: ts.StringLiteralLike;
  typeOnly: boolean;
}

/** Every import cycle among the TypeScript files under `root`, shortest first. */
export function findImportCycles(root: string): ImportCycle[] {
  const graph = importGraph(path.resolve(root));
  const cycles = new Map<string, string[]>();
  for (const component of stronglyConnectedComponents(graph)) {
    const members = new Set(component);
    for (const from of component) {
      for (const to of graph.get(from)?.keys() ?? []) {
        if (!members.has(to)) continue;
        const back = shortestPath(graph, to, from, members);
        const cycle = canonicalRotation([from, ...back]);
        cycles.set(cycle.join('\n'), cycle);
      }
    }
  }
  return [...cycles.values()]
    .sort((a, b) => a.length - b.length || a.join('\n').localeCompare(b.join('\n')))
    .map((nodes) => {
      const files = [...nodes, nodes[0]];
      return {
        files,
        typeOnly: nodes.map((from, i) => graph.get(from)?.get(files[i + 1]) ?? false),
      };
    });
}

/** The cycles as chains of paths relative to `base`, one file a line. */
export function formatCycles(cycles: readonly ImportCycle[], base = process.cwd()): string {
  return cycles
    .map((cycle, index) => {
      const [first, ...rest] = cycle.files.map((file) => path.relative(base, file));
      const steps = rest.map(
        (file, i) => `      → ${file}${cycle.typeOnly[i] ? ' (type only)' : ''}`,
      );
      return [`  ${index + 1}. ${first}`, ...steps].join('\n');
    })
    .join('\n');
}

/** File → the files under root it imports → whether all those imports are type-only. */
function importGraph(root: string): Map<string, Map<string, boolean>> {
  const options = compilerOptions(root);
  const host: ts.ModuleResolutionHost = ts.sys;
  const cache = ts.createModuleResolutionCache(root, (name) => name, options);
  const inRoot = (file: string) => {
    const relative = path.relative(root, file);
    return relative !== '..' && !relative.startsWith(`..${path.sep}`) && !path.isAbsolute(relative);
  };
  const files = ts.sys.readDirectory(root, ['.ts', '.tsx', '.mts', '.cts'], ['**/node_modules']);
  const graph = new Map<string, Map<string, boolean>>();
  for (const fileName of files.map((file) => path.resolve(file)).sort()) {
    const source = ts.createSourceFile(
      fileName,
      ts.sys.readFile(fileName) ?? '',
      {
        languageVersion: ts.ScriptTarget.Latest,
        impliedNodeFormat: ts.getImpliedNodeFormatForFile(
          fileName,
          cache.getPackageJsonInfoCache(),
          host,
          options,
        ),
      },
      true,
    );
    const edges = new Map<string, boolean>();
    for (const { specifier, typeOnly } of importsOf(source)) {
      const resolve = (mode: ts.ResolutionMode) =>
        ts.resolveModuleName(specifier.text, fileName, options, host, cache, undefined, mode)
          .resolvedModule;
      // An extensionless `import('./x')` resolves in no ES module mode; the compiler reports
      // it, and it still couples the files: resolve it as `require()` would.
      const resolved =
        resolve(ts.getModeForUsageLocation(source, specifier, options)) ??
        resolve(ts.ModuleKind.CommonJS);
      if (!resolved || resolved.isExternalLibraryImport) continue;
      const target = path.resolve(resolved.resolvedFileName);
      if (!inRoot(target)) continue;
      edges.set(target, (edges.get(target) ?? true) && typeOnly);
    }
    graph.set(fileName, edges);
  }
  return graph;
}

function compilerOptions(root: string): ts.CompilerOptions {
  const configFile = ts.findConfigFile(root, (file) => ts.sys.fileExists(file));
  const parsed =
    configFile &&
    ts.getParsedCommandLineOfConfigFile(
      configFile,
      {},
      {
        ...ts.sys,
        onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
          throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
        },
      },
    );
  return parsed
    ? parsed.options
    : {
        module: ts.ModuleKind.NodeNext,
        moduleResolution: ts.ModuleResolutionKind.NodeNext,
        resolveJsonModule: true,
      };
}

function importsOf(source: ts.SourceFile): Import[] {
  const found: Import[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      found.push({
        specifier: node.moduleSpecifier,
        typeOnly: isTypeOnlyImport(node.importClause),
      });
    } else if (
      ts.isExportDeclaration(node) &&
      node.moduleSpecifier &&
      ts.isStringLiteral(node.moduleSpecifier)
    ) {
      const clause = node.exportClause;
      const typeOnly =
        node.isTypeOnly ||
        (!!clause &&
          ts.isNamedExports(clause) &&
          clause.elements.length > 0 &&
          clause.elements.every((element) => element.isTypeOnly));
      found.push({ specifier: node.moduleSpecifier, typeOnly });
    } else if (
      ts.isImportEqualsDeclaration(node) &&
      ts.isExternalModuleReference(node.moduleReference) &&
      ts.isStringLiteral(node.moduleReference.expression)
    ) {
      found.push({ specifier: node.moduleReference.expression, typeOnly: node.isTypeOnly });
    } else if (
      ts.isCallExpression(node) &&
      (node.expression.kind === ts.SyntaxKind.ImportKeyword ||
        (ts.isIdentifier(node.expression) && node.expression.text === 'require')) &&
      node.arguments.length > 0 &&
      ts.isStringLiteralLike(node.arguments[0])
    ) {
      found.push({ specifier: node.arguments[0], typeOnly: false });
    } else if (
      ts.isImportTypeNode(node) &&
      ts.isLiteralTypeNode(node.argument) &&
      ts.isStringLiteral(node.argument.literal)
    ) {
      found.push({ specifier: node.argument.literal, typeOnly: true });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** `import type …`, or `import { type A, type B }`; a bare `import './x'` runs the module. */
function isTypeOnlyImport(clause: ts.ImportClause | undefined): boolean {
  if (!clause) return false;
  if (clause.isTypeOnly) return true;
  const bindings = clause.namedBindings;
  return (
    !clause.name &&
    !!bindings &&
    ts.isNamedImports(bindings) &&
    bindings.elements.length > 0 &&
    bindings.elements.every((element) => element.isTypeOnly)
  );
}

/** Tarjan's algorithm; keeps only the components that hold a cycle. */
function stronglyConnectedComponents(graph: Map<string, Map<string, boolean>>): string[][] {
  const index = new Map<string, number>();
  const lowLink = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  const connect = (node: string): void => {
    index.set(node, index.size);
    lowLink.set(node, index.get(node) as number);
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node)?.keys() ?? []) {
      if (!index.has(next)) {
        connect(next);
        lowLink.set(node, Math.min(lowLink.get(node) as number, lowLink.get(next) as number));
      } else if (onStack.has(next)) {
        lowLink.set(node, Math.min(lowLink.get(node) as number, index.get(next) as number));
      }
    }
    if (lowLink.get(node) === index.get(node)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop() as string;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1 || graph.get(node)?.has(node)) {
        components.push(component.sort());
      }
    }
  };
  for (const node of graph.keys()) {
    if (!index.has(node)) connect(node);
  }
  return components;
}

/** A shortest chain of files from `from` to `to`, without `to` (none when they are one). */
function shortestPath(
  graph: Map<string, Map<string, boolean>>,
  from: string,
  to: string,
  within: Set<string>,
): string[] {
  if (from === to) return [];
  const previous = new Map<string, string>([[from, from]]);
  const queue = [from];
  while (queue.length > 0) {
    const node = queue.shift() as string;
    for (const next of [...(graph.get(node)?.keys() ?? [])].sort()) {
      if (!within.has(next) || previous.has(next)) continue;
      previous.set(next, node);
      if (next === to) {
        const nodes = [next];
        while (nodes[0] !== from) nodes.unshift(previous.get(nodes[0]) as string);
        return nodes.slice(0, -1);
      }
      queue.push(next);
    }
  }
  throw new Error(`no path from ${from} to ${to} in its own component`);
}

/** The same cycle starting from its first file in sort order, so each is listed once. */
function canonicalRotation(nodes: string[]): string[] {
  const start = nodes.indexOf([...nodes].sort()[0]);
  return [...nodes.slice(start), ...nodes.slice(0, start)];
}

function main(dirs: readonly string[]): void {
  let failed = false;
  for (const dir of dirs) {
    const cycles = findImportCycles(dir);
    if (cycles.length === 0) {
      process.stdout.write(`no import cycle in ${dir}\n`);
      continue;
    }
    failed = true;
    const files = new Set(cycles.flatMap((cycle) => cycle.files)).size;
    process.stderr.write(
      `${cycles.length} import cycle(s) among ${files} files in ${dir}` +
        ' ("(type only)": the file above imports that one for its types only):\n' +
        `${formatCycles(cycles)}\n`,
    );
  }
  if (failed) process.exitCode = 1;
}

if (require.main === module) {
  main(process.argv.length > 2 ? process.argv.slice(2) : ['src']);
}
