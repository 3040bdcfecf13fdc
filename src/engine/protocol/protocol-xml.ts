const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** An XML rendering of plain data: an element per key, `<item>` per array entry, text for values. */
export function toXml(root: string, value: unknown): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n${element(root, value, '')}\n`;
}

function element(name: string, value: unknown, indent: string): string {
  if (value === null || value === undefined) return `${indent}<${name}/>`;
  if (Array.isArray(value)) {
    const items = value.map((v) => element('item', v, `${indent}  `));
    return items.length === 0 ? `${indent}<${name}/>` : `${indent}<${name}>\n${items.join('\n')}\n${indent}</${name}>`;
  }
  if (typeof value === 'object') {
    const kids = Object.entries(value as Record<string, unknown>).map(([k, v]) => element(k, v, `${indent}  `));
    return kids.length === 0 ? `${indent}<${name}/>` : `${indent}<${name}>\n${kids.join('\n')}\n${indent}</${name}>`;
  }
  return `${indent}<${name}>${esc(String(value))}</${name}>`;
}
