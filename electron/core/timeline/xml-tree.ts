import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { TimelineReadError } from './editor-timeline.ts';

/** An XML element with the line it starts on, so reader errors can point at it. */
export interface XNode {
  name: string;
  attrs: Record<string, string>;
  children: XNode[];
  /** Concatenated direct text, trimmed. */
  text: string;
  line: number;
}

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  captureMetaData: true,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  processEntities: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
});
const META = XMLParser.getMetaDataSymbol() as unknown as symbol;

type OrderedNode = Record<string, unknown> & { ':@'?: Record<string, string> };

/**
 * Parses XML with fast-xml-parser and returns the root element. Malformed XML (empty, truncated,
 * mismatched tags) is a TimelineReadError naming the file and line.
 */
export function parseXml(text: string, file: string): XNode {
  if (!text.trim()) throw new TimelineReadError(`${file} is empty.`, file, null);
  const valid = XMLValidator.validate(text);
  if (valid !== true) {
    // The validator reports tags left open at the end of the file on line 1; say where it ends instead.
    const open = /^Invalid '\[(.*)\]' found/s.exec(valid.err.msg);
    if (open) {
      const tags = open[1]!.split(',').map((t) => t.trim().replace(/^"|"$/g, '')).filter(Boolean);
      const last = text.replace(/\s+$/, '').split('\n').length;
      throw new TimelineReadError(`${file} ends at line ${last} while <${tags.at(-1)}> (inside ${tags.slice(0, -1).map((t) => `<${t}>`).join(' ') || 'nothing'}) is still open: the file is truncated; export it again.`, file, last);
    }
    const line = valid.err.line ?? null;
    throw new TimelineReadError(`${file} is not well-formed XML (line ${line ?? '?'}${valid.err.col ? `, column ${valid.err.col}` : ''}): ${valid.err.msg} The file may be truncated; export it again.`, file, line);
  }
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) lineStarts.push(i + 1);
  const lineOf = (index: number | undefined): number => {
    if (index === undefined) return 0;
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid]! <= index) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
  const convert = (node: OrderedNode): XNode | null => {
    const name = Object.keys(node).find((k) => k !== ':@');
    if (!name || name === '#text' || name === '#comment' || name.startsWith('?') || name.startsWith('!')) return null;
    const meta = (node as Record<symbol, { startIndex?: number } | undefined>)[META];
    const out: XNode = { name, attrs: { ...(node[':@'] ?? {}) }, children: [], text: '', line: lineOf(meta?.startIndex) };
    const texts: string[] = [];
    for (const child of (node[name] as OrderedNode[]) ?? []) {
      if ('#text' in child) texts.push(String(child['#text']));
      else {
        const c = convert(child);
        if (c) out.children.push(c);
      }
    }
    out.text = texts.join('').trim();
    return out;
  };
  const roots = (parser.parse(text) as OrderedNode[]).map(convert).filter((n): n is XNode => n !== null);
  if (roots.length !== 1) throw new TimelineReadError(`${file} has ${roots.length} root elements; an XML timeline has one.`, file, null);
  return roots[0]!;
}

export const child = (n: XNode, name: string): XNode | undefined => n.children.find((c) => c.name === name);
export const childrenNamed = (n: XNode, name: string): XNode[] => n.children.filter((c) => c.name === name);
export const childText = (n: XNode, name: string): string | undefined => child(n, name)?.text;

/** Depth-first search for the first element with this name. */
export function findFirst(n: XNode, name: string): XNode | undefined {
  for (const c of n.children) {
    if (c.name === name) return c;
    const deeper = findFirst(c, name);
    if (deeper) return deeper;
  }
  return undefined;
}

/** Every element with this name, depth-first, not looking inside a match. */
export function findAll(n: XNode, name: string, out: XNode[] = []): XNode[] {
  for (const c of n.children) {
    if (c.name === name) out.push(c);
    else findAll(c, name, out);
  }
  return out;
}

/** Escapes text for an XML attribute or element body. */
export function xmlEscape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}
