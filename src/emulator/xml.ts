/** What the XML renderer accepts: objects become child elements, arrays become lists. */
export type XmlValue =
  string | number | boolean | Date | null | undefined | readonly XmlValue[] | XmlObject;

/** Child elements by name, in order; undefined and null children are left out. */
export interface XmlObject {
  readonly [element: string]: XmlValue;
}

/** How a protocol names list entries: EC2 uses `item`, the CloudWatch query protocol `member`. */
export type XmlListItem = 'item' | 'member';

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
};

function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => ESCAPES[character] ?? character);
}

/** Renders `<root xmlns="...">` around `body`, with an XML declaration as AWS sends it. */
export function renderXmlDocument(
  root: string,
  namespace: string | undefined,
  body: XmlValue,
  listItem: XmlListItem,
): string {
  const parts = ['<?xml version="1.0" encoding="UTF-8"?>\n'];
  const attributes = namespace === undefined ? '' : ` xmlns="${escapeXml(namespace)}"`;
  parts.push(`<${root}${attributes}>`);
  renderContent(body, listItem, parts);
  parts.push(`</${root}>`);
  return parts.join('');
}

function renderElement(
  name: string,
  value: XmlValue,
  listItem: XmlListItem,
  parts: string[],
): void {
  if (value === undefined || value === null) {
    return;
  }
  parts.push(`<${name}>`);
  renderContent(value, listItem, parts);
  parts.push(`</${name}>`);
}

function renderContent(value: XmlValue, listItem: XmlListItem, parts: string[]): void {
  if (value === undefined || value === null) {
    return;
  }
  if (value instanceof Date) {
    parts.push(value.toISOString());
  } else if (Array.isArray(value)) {
    for (const entry of value as readonly XmlValue[]) {
      renderElement(listItem, entry, listItem, parts);
    }
  } else if (typeof value === 'object') {
    for (const [name, child] of Object.entries(value)) {
      renderElement(name, child, listItem, parts);
    }
  } else {
    parts.push(escapeXml(String(value)));
  }
}
