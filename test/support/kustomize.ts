import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parse, parseAllDocuments } from 'yaml';

/**
 * `kustomize build` for the part of Kustomize that `deploy/kubernetes` uses, so that its output
 * can be checked without kubectl: `resources` (files and directories), `namespace`, `images`,
 * `replicas`, `configMapGenerator` and `secretGenerator` (`envs`, `literals`, `behavior`),
 * `patches` given by `path` (strategic merge: maps merged, lists of named items merged by name,
 * `null` deletes) and `configurations` with `nameReference`. Generated names get a content hash
 * in Kustomize's manner, and references to them are rewritten. Any other field is refused
 * rather than ignored, so a kustomization this cannot render fails its test instead of passing it.
 */

export interface KubernetesObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  [field: string]: unknown;
}

export interface RenderOptions {
  /** Contents standing in for files, by absolute path (a file kept out of git, a broken copy). */
  files?: Record<string, string>;
}

type Json = Record<string, unknown>;

interface Kustomization {
  apiVersion?: string;
  kind?: string;
  namespace?: string;
  resources?: string[];
  images?: { name: string; newName?: string; newTag?: string; digest?: string }[];
  replicas?: { name: string; count: number }[];
  configMapGenerator?: GeneratorEntry[];
  secretGenerator?: GeneratorEntry[];
  patches?: { path: string }[];
  configurations?: string[];
}

interface GeneratorEntry {
  name: string;
  behavior?: 'create' | 'merge' | 'replace';
  envs?: string[];
  literals?: string[];
}

interface FieldSpec {
  kind: string;
  path: string;
}

interface NameReference {
  /** The kind whose generated name is referred to. */
  kind: 'ConfigMap' | 'Secret';
  fieldSpecs: FieldSpec[];
}

interface Build {
  objects: KubernetesObject[];
  /** Objects made by a generator, whose name gets a content hash once everything is built. */
  generated: Set<KubernetesObject>;
  nameReferences: NameReference[];
}

const KUSTOMIZATION_FIELDS = new Set([
  'apiVersion',
  'kind',
  'namespace',
  'resources',
  'images',
  'replicas',
  'configMapGenerator',
  'secretGenerator',
  'patches',
  'configurations',
]);
const GENERATOR_FIELDS = new Set(['name', 'behavior', 'envs', 'literals']);
const CLUSTER_SCOPED = new Set(['Namespace', 'ClusterRole', 'ClusterRoleBinding']);
const POD_SPEC_PATHS = ['spec/template/spec/containers', 'spec/template/spec/initContainers'];

/** The references Kustomize rewrites on its own: those of pod templates. */
const BUILTIN_NAME_REFERENCES: NameReference[] = [
  {
    kind: 'ConfigMap',
    fieldSpecs: POD_SPEC_PATHS.flatMap((containers) => [
      { kind: 'Deployment', path: `${containers}/envFrom/configMapRef/name` },
      { kind: 'Deployment', path: `${containers}/env/valueFrom/configMapKeyRef/name` },
    ]).concat({ kind: 'Deployment', path: 'spec/template/spec/volumes/configMap/name' }),
  },
  {
    kind: 'Secret',
    fieldSpecs: POD_SPEC_PATHS.flatMap((containers) => [
      { kind: 'Deployment', path: `${containers}/envFrom/secretRef/name` },
      { kind: 'Deployment', path: `${containers}/env/valueFrom/secretKeyRef/name` },
    ]).concat({ kind: 'Deployment', path: 'spec/template/spec/volumes/secret/secretName' }),
  },
];

export function renderKustomization(dir: string, options: RenderOptions = {}): KubernetesObject[] {
  const read = (file: string) => options.files?.[file] ?? readFileSync(file, 'utf8');
  const build = buildDirectory(path.resolve(dir), read);
  return withHashedNames(build);
}

function buildDirectory(dir: string, read: (file: string) => string): Build {
  const kustomization = parse(read(path.join(dir, 'kustomization.yaml'))) as Kustomization;
  refuseUnknown(kustomization, KUSTOMIZATION_FIELDS, `${dir}/kustomization.yaml`);
  const build: Build = { objects: [], generated: new Set(), nameReferences: [] };
  for (const entry of kustomization.resources ?? []) {
    const target = path.resolve(dir, entry);
    if (statSync(target).isDirectory()) {
      const base = buildDirectory(target, read);
      build.objects.push(...base.objects);
      base.generated.forEach((object) => build.generated.add(object));
      build.nameReferences.push(...base.nameReferences);
    } else {
      build.objects.push(...documentsOf(read(target)));
    }
  }
  for (const file of kustomization.configurations ?? []) {
    const configuration = parse(read(path.resolve(dir, file))) as {
      nameReference?: NameReference[];
    };
    build.nameReferences.push(...(configuration.nameReference ?? []));
  }
  for (const entry of kustomization.configMapGenerator ?? []) {
    generate(build, 'ConfigMap', entry, dir, read);
  }
  for (const entry of kustomization.secretGenerator ?? []) {
    generate(build, 'Secret', entry, dir, read);
  }
  for (const patch of kustomization.patches ?? []) {
    refuseUnknown(patch, new Set(['path']), `patch in ${dir}`);
    applyPatch(build.objects, parse(read(path.resolve(dir, patch.path))) as KubernetesObject);
  }
  if (kustomization.namespace) {
    setNamespace(build.objects, kustomization.namespace);
  }
  for (const image of kustomization.images ?? []) {
    build.objects.forEach((object) => setImage(object, image));
  }
  for (const { name, count } of kustomization.replicas ?? []) {
    const target = build.objects.find((o) => o.kind === 'Deployment' && o.metadata.name === name);
    if (!target) {
      throw new Error(`replicas: no Deployment named ${name}`);
    }
    (target.spec as Json).replicas = count;
  }
  return build;
}

function documentsOf(text: string): KubernetesObject[] {
  return parseAllDocuments(text)
    .map((document) => document.toJS() as KubernetesObject | null)
    .filter((object): object is KubernetesObject => object !== null);
}

function refuseUnknown(entry: object, known: Set<string>, where: string): void {
  const unknown = Object.keys(entry).filter((field) => !known.has(field));
  if (unknown.length > 0) {
    throw new Error(`${where}: not rendered by this test: ${unknown.join(', ')}`);
  }
}

function generate(
  build: Build,
  kind: 'ConfigMap' | 'Secret',
  entry: GeneratorEntry,
  dir: string,
  read: (file: string) => string,
): void {
  refuseUnknown(entry, GENERATOR_FIELDS, `${kind} generator ${entry.name}`);
  const pairs = [
    ...(entry.envs ?? []).flatMap((file) => envFileLines(read(path.resolve(dir, file)))),
    ...(entry.literals ?? []),
  ].map((line) => {
    const at = line.indexOf('=');
    if (at <= 0) {
      throw new Error(`${kind} ${entry.name}: "${line}" is no KEY=value`);
    }
    return [line.slice(0, at), line.slice(at + 1)] as const;
  });
  const values = Object.fromEntries(pairs);
  const existing = build.objects.find((o) => o.kind === kind && o.metadata.name === entry.name);
  const behavior = entry.behavior ?? 'create';
  if ((behavior === 'create') !== (existing === undefined)) {
    throw new Error(
      `${kind} ${entry.name}: behavior ${behavior} ${existing ? 'over' : 'without'} one`,
    );
  }
  const data = existing && behavior === 'merge' ? { ...dataOf(existing), ...values } : values;
  const object: KubernetesObject =
    kind === 'ConfigMap'
      ? { apiVersion: 'v1', kind, metadata: { name: entry.name }, data }
      : {
          apiVersion: 'v1',
          kind,
          metadata: { name: entry.name },
          type: 'Opaque',
          data: Object.fromEntries(
            Object.entries(data).map(([key, value]) => [
              key,
              Buffer.from(value).toString('base64'),
            ]),
          ),
        };
  if (existing) {
    build.objects.splice(build.objects.indexOf(existing), 1, object);
    build.generated.delete(existing);
  } else {
    build.objects.push(object);
  }
  build.generated.add(object);
}

/** Plain values of a generated ConfigMap or Secret. */
export function dataOf(object: KubernetesObject): Record<string, string> {
  const data = (object.data ?? {}) as Record<string, string>;
  return object.kind === 'Secret'
    ? Object.fromEntries(
        Object.entries(data).map(([key, value]) => [key, Buffer.from(value, 'base64').toString()]),
      )
    : data;
}

/** Kustomize's env files: KEY=value lines; blank lines and # comments skipped. */
function envFileLines(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
}

function applyPatch(objects: KubernetesObject[], patch: KubernetesObject): void {
  const index = objects.findIndex(
    (o) => o.kind === patch.kind && o.metadata.name === patch.metadata.name,
  );
  if (index < 0) {
    throw new Error(`patch: no ${patch.kind} named ${patch.metadata.name}`);
  }
  objects[index] = strategicMerge(objects[index], patch) as KubernetesObject;
}

function strategicMerge(target: unknown, patch: unknown): unknown {
  if (isMap(target) && isMap(patch)) {
    const merged: Json = { ...target };
    for (const [key, value] of Object.entries(patch)) {
      if (value === null) {
        delete merged[key];
      } else {
        merged[key] = strategicMerge(target[key], value);
      }
    }
    return merged;
  }
  if (Array.isArray(target) && Array.isArray(patch) && [...target, ...patch].every(isNamed)) {
    const merged = [...target] as Json[];
    for (const item of patch as Json[]) {
      const at = merged.findIndex((existing) => existing.name === item.name);
      if (at >= 0) {
        merged[at] = strategicMerge(merged[at], item) as Json;
      } else {
        merged.push(item);
      }
    }
    return merged;
  }
  return patch;
}

function isMap(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isNamed(value: unknown): boolean {
  return isMap(value) && typeof value.name === 'string';
}

function setNamespace(objects: KubernetesObject[], namespace: string): void {
  for (const object of objects) {
    if (!CLUSTER_SCOPED.has(object.kind)) {
      object.metadata = { ...object.metadata, namespace };
    }
  }
}

function setImage(object: KubernetesObject, image: NonNullable<Kustomization['images']>[0]): void {
  for (const containers of POD_SPEC_PATHS) {
    visit(object, containers.split('/'), (container) => {
      if (!isMap(container) || typeof container.image !== 'string') {
        return container;
      }
      const [name, tag] = splitImage(container.image);
      if (name !== image.name) {
        return container;
      }
      const reference = image.digest
        ? `@${image.digest}`
        : image.newTag
          ? `:${image.newTag}`
          : (tag ?? '');
      return { ...container, image: `${image.newName ?? name}${reference}` };
    });
  }
}

/** `name`, and `:tag` or `@digest` if any. */
function splitImage(image: string): [string, string | undefined] {
  const at = image.indexOf('@');
  if (at >= 0) {
    return [image.slice(0, at), image.slice(at)];
  }
  const colon = image.lastIndexOf(':');
  return colon > image.lastIndexOf('/')
    ? [image.slice(0, colon), image.slice(colon)]
    : [image, undefined];
}

/** Replaces every value at `segments`, stepping through lists on the way. */
function visit(node: unknown, segments: string[], replace: (value: unknown) => unknown): unknown {
  if (Array.isArray(node)) {
    return node.map((item) => visit(item, segments, replace));
  }
  if (segments.length === 0) {
    return replace(node);
  }
  if (!isMap(node)) {
    return node;
  }
  const [head = '', ...rest] = segments;
  if (head in node) {
    node[head] = visit(node[head], rest, replace);
  }
  return node;
}

function withHashedNames(build: Build): KubernetesObject[] {
  const renamed = new Map<string, string>();
  for (const object of build.generated) {
    const name = `${object.metadata.name}-${contentHash(object)}`;
    renamed.set(`${object.kind}/${object.metadata.name}`, name);
    object.metadata = { ...object.metadata, name };
  }
  for (const { kind, fieldSpecs } of [...BUILTIN_NAME_REFERENCES, ...build.nameReferences]) {
    for (const spec of fieldSpecs) {
      build.objects
        .filter((object) => object.kind === spec.kind)
        .forEach((object) =>
          visit(object, spec.path.split('/'), (name) =>
            typeof name === 'string' ? (renamed.get(`${kind}/${name}`) ?? name) : name,
          ),
        );
    }
  }
  return build.objects;
}

/** Kustomize's suffix: the SHA-256 of the object's kind, name and data, as ten safe characters. */
function contentHash(object: KubernetesObject): string {
  const { kind, metadata, data, type } = object;
  const encoded = stableJson({ kind, name: metadata.name, data, ...(type ? { type } : {}) });
  const hex = createHash('sha256').update(encoded).digest('hex').slice(0, 10);
  const SAFE: Record<string, string> = { '0': 'g', '1': 'h', '3': 'k', a: 'm', e: 't' };
  return [...hex].map((c) => SAFE[c] ?? c).join('');
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) {
    return `[${value.map(stableJson).join(',')}]`;
  }
  if (isMap(value)) {
    return `{${Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${stableJson(value[key])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}
