import {
  Kind,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLResolveInfo,
} from 'graphql';
import { getOrAdd } from '../lib/maps';

type Fragments = Readonly<Record<string, FragmentDefinitionNode>>;

const selections = new WeakMap<readonly FieldNode[], Map<string, ReadonlySet<string>>>();

/**
 * The names of the fields asked of what `info`'s field returns, or of what lies at `path` below
 * it (`['edges', 'node']` for a connection's nodes), through every fragment whatever its type
 * condition or directives: a superset, which is what choosing columns needs. graphql-js hands
 * every parent of a list the same field nodes, so a page computes it once.
 */
export function selectedFields(
  info: Pick<GraphQLResolveInfo, 'fieldNodes' | 'fragments'>,
  path: readonly string[] = [],
): ReadonlySet<string> {
  let byPath = selections.get(info.fieldNodes);
  if (!byPath) {
    byPath = new Map();
    selections.set(info.fieldNodes, byPath);
  }
  const key = path.join('.');
  let fields = byPath.get(key);
  if (!fields) {
    let nodes: readonly FieldNode[] = info.fieldNodes;
    for (const name of path) {
      nodes = subfields(nodes, info.fragments).filter((node) => node.name.value === name);
    }
    fields = new Set(subfields(nodes, info.fragments).map((node) => node.name.value));
    byPath.set(key, fields);
  }
  return fields;
}

/** The fields selected under `nodes`, fragments spread. */
function subfields(nodes: readonly FieldNode[], fragments: Fragments): FieldNode[] {
  const found: FieldNode[] = [];
  const spread = new Set<string>();
  const collect = (selections: FieldNode['selectionSet']) => {
    for (const selection of selections?.selections ?? []) {
      if (selection.kind === Kind.FIELD) {
        found.push(selection);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        collect(selection.selectionSet);
      } else if (!spread.has(selection.name.value)) {
        spread.add(selection.name.value);
        collect(fragments[selection.name.value]?.selectionSet);
      }
    }
  };
  nodes.forEach((node) => collect(node.selectionSet));
  return found;
}

/** Which columns each field of a type reads. */
export type FieldColumns<Column extends string> = Readonly<Record<string, readonly Column[]>>;

/**
 * The columns `fields` read, sorted (a loader's key), or null for every column: a field the map
 * does not know (a field resolver, say) may read any of them.
 */
export function columnsOf<Column extends string>(
  fields: ReadonlySet<string>,
  map: FieldColumns<Column>,
): readonly Column[] | null {
  // Both are kept objects (selectedFields' sets, the maps beside the entities): every parent of
  // a page, and every request of the same document, asks the same.
  const ofMaps = getOrAdd(columnLists, fields, () => new WeakMap());
  return getOrAdd(ofMaps, map, () => readColumns(fields, map)) as readonly Column[] | null;
}

const columnLists = new WeakMap<ReadonlySet<string>, WeakMap<object, readonly string[] | null>>();

function readColumns<Column extends string>(
  fields: ReadonlySet<string>,
  map: FieldColumns<Column>,
): readonly Column[] | null {
  const columns = new Set<Column>();
  for (const field of fields) {
    if (field === '__typename') {
      continue;
    }
    const read = Object.hasOwn(map, field) ? map[field] : undefined;
    if (!read) {
      return null;
    }
    read.forEach((column) => columns.add(column));
  }
  return [...columns].sort();
}

/** The columns the nodes of a connection field (`edges { node { … } }`) read. */
export function nodeColumnsOf<Column extends string>(
  info: Pick<GraphQLResolveInfo, 'fieldNodes' | 'fragments'>,
  map: FieldColumns<Column>,
): readonly Column[] | null {
  return columnsOf(selectedFields(info, ['edges', 'node']), map);
}
