// The text of each page of a PDF that headless Chromium printed (page.pdf()), read with nothing
// but zlib: enough of the format to tell what each printed sheet says, not a general PDF reader.
// Chromium (Skia) writes plain objects with deflated streams, Type0 fonts with a ToUnicode map,
// and text as hex glyph strings in Tj/TJ; other writers may need more than this.
import { inflateSync } from 'node:zlib';

interface PdfObject {
  dictionary: string;
  stream?: Buffer;
}

function objectsOf(pdf: Buffer): Map<number, PdfObject> {
  const text = pdf.toString('latin1');
  const objects = new Map<number, PdfObject>();
  const header = /(\d+) 0 obj\s*/g;
  let match: RegExpExecArray | null;
  while ((match = header.exec(text))) {
    const start = match.index + match[0].length;
    const end = text.indexOf('endobj', start);
    const body = text.slice(start, end);
    const streamAt = body.search(/stream\r?\n/);
    if (streamAt === -1) {
      objects.set(Number(match[1]), { dictionary: body });
      continue;
    }
    const dictionary = body.slice(0, streamAt);
    const length = Number(/\/Length (\d+)/.exec(dictionary)?.[1]);
    const dataStart = start + streamAt + (body[streamAt + 6] === '\r' ? 8 : 7);
    const raw = pdf.subarray(dataStart, dataStart + length);
    objects.set(Number(match[1]), { dictionary, stream: /\/FlateDecode/.test(dictionary) ? inflateSync(raw) : raw });
    header.lastIndex = end;
  }
  return objects;
}

const hexBytes = (hex: string) => Buffer.from(hex.length % 2 ? `${hex}0` : hex, 'hex');

/** A ToUnicode CMap: glyph code (hex) → text. */
function unicodeMap(cmap: string): Map<string, string> {
  const map = new Map<string, string>();
  const utf16 = (hex: string) => hexBytes(hex).swap16().toString('utf16le');
  for (const block of cmap.matchAll(/beginbfchar([\s\S]*?)endbfchar/g)) {
    for (const [, code, unicode] of block[1]!.matchAll(/<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>/g)) map.set(code!.toUpperCase(), utf16(unicode!));
  }
  for (const block of cmap.matchAll(/beginbfrange([\s\S]*?)endbfrange/g)) {
    for (const [, low, high, first] of block[1]!.matchAll(/<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>/g)) {
      const width = low!.length;
      const start = parseInt(first!, 16);
      for (let code = parseInt(low!, 16); code <= parseInt(high!, 16); code++) {
        map.set(code.toString(16).toUpperCase().padStart(width, '0'), utf16((start + code - parseInt(low!, 16)).toString(16).padStart(first!.length, '0')));
      }
    }
  }
  return map;
}

type Matrix = [number, number, number, number, number, number];
const IDENTITY: Matrix = [1, 0, 0, 1, 0, 0];
/** m1 then m2 (PDF's row-vector convention). */
const times = (m1: Matrix, m2: Matrix): Matrix => [
  m1[0] * m2[0] + m1[1] * m2[2], m1[0] * m2[1] + m1[1] * m2[3],
  m1[2] * m2[0] + m1[3] * m2[2], m1[2] * m2[1] + m1[3] * m2[3],
  m1[4] * m2[0] + m1[5] * m2[2] + m2[4], m1[4] * m2[1] + m1[5] * m2[3] + m2[5],
];

/** One piece of text as drawn: where it starts on the sheet (PDF points, y up from the bottom). */
export interface TextRun {
  text: string;
  x: number;
  y: number;
}

/** Each page's text runs, in page order, in the order they are drawn. */
export function pdfPages(pdf: Buffer): TextRun[][] {
  const objects = objectsOf(pdf);
  const fonts = new Map<number, Map<string, string>>();
  const fontMap = (id: number) => {
    if (!fonts.has(id)) {
      const toUnicode = /\/ToUnicode (\d+) 0 R/.exec(objects.get(id)?.dictionary ?? '')?.[1];
      const stream = toUnicode ? objects.get(Number(toUnicode))?.stream : undefined;
      fonts.set(id, unicodeMap(stream?.toString('latin1') ?? ''));
    }
    return fonts.get(id)!;
  };
  // Pages in the order the page tree lists them.
  const tree = [...objects.values()].find((object) => /\/Type \/Pages\b/.test(object.dictionary) && !/\/Parent/.test(object.dictionary));
  const order = [...(/\/Kids \[([^\]]*)\]/.exec(tree?.dictionary ?? '')?.[1] ?? '').matchAll(/(\d+) 0 R/g)].map((kid) => Number(kid[1]));
  return order.map((pageId) => {
    const page = objects.get(pageId)!.dictionary;
    const fontNames = new Map([...(/\/Font <<([^>]*)>>/.exec(page)?.[1] ?? '').matchAll(/\/(\w+) (\d+) 0 R/g)].map((font) => [font[1]!, Number(font[2])]));
    const contents = [...(/\/Contents (\[[^\]]*\]|\d+ 0 R)/.exec(page)?.[1] ?? '').matchAll(/(\d+) 0 R/g)].map((ref) => objects.get(Number(ref[1]))?.stream?.toString('latin1') ?? '');
    const runs: TextRun[] = [];
    const saved: Matrix[] = [];
    let ctm = IDENTITY;
    let line = IDENTITY;
    let glyphs = new Map<string, string>();
    let operands: string[] = [];
    const show = (hexStrings: string[]) => {
      const width = [...glyphs.keys()][0]?.length ?? 4;
      let text = '';
      for (const hex of hexStrings) for (let at = 0; at < hex.length; at += width) text += glyphs.get(hex.slice(at, at + width).toUpperCase()) ?? '';
      const [x, y] = [times(line, ctm)[4], times(line, ctm)[5]];
      runs.push({ text, x, y });
    };
    for (const [token] of contents.join('\n').matchAll(/<[0-9A-Fa-f]*>|\/\w+|-?\d*\.?\d+|[A-Za-z*'"]+|\[|\]/g)) {
      const numbers = () => operands.map(Number) as Matrix;
      switch (token) {
        case 'q': saved.push(ctm); break;
        case 'Q': ctm = saved.pop() ?? IDENTITY; break;
        case 'cm': ctm = times(numbers(), ctm); break;
        case 'BT': line = IDENTITY; break;
        case 'Tm': line = numbers(); break;
        case 'Td': { const [tx, ty] = operands.map(Number) as [number, number]; line = times([1, 0, 0, 1, tx, ty], line); break; }
        case 'Tf': glyphs = fontMap(fontNames.get(operands[0]!.slice(1)) ?? -1); break;
        case 'Tj': case 'TJ': show(operands.filter((operand) => operand.startsWith('<')).map((operand) => operand.slice(1, -1))); break;
        default:
          if (!/^[A-Za-z*'"]+$/.test(token)) { operands.push(token); continue; }
      }
      operands = [];
    }
    return runs;
  });
}

/** Each page's text, in page order, one drawn run a line. */
export function pdfPageTexts(pdf: Buffer): string[] {
  return pdfPages(pdf).map((runs) => runs.map((run) => run.text).join('\n'));
}
