// Tiny real files of each kind a message may carry, built here so the tests show what they send:
// enough of each format for file-type to recognise it the way it recognises the real thing.
import { crc32, deflateSync } from 'node:zlib';
import { TINY_PDF } from './family.ts';

export { TINY_PDF };

/** A valid 1×1 red PNG: signature, IHDR, IDAT (deflated scanline), IEND, with their CRCs. */
export const TINY_PNG = (() => {
  const chunk = (type: string, data: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const typed = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(typed));
    return Buffer.concat([length, typed, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(1, 0); // width
  header.writeUInt32BE(1, 4); // height
  header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB, deflate, no filter method, no interlace
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.from([0, 255, 0, 0]))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
})();

/** The 125-byte 1×1 JPEG (JFIF, one quantisation table, arithmetic-coded scan, EOI). */
export const TINY_JPEG = Buffer.from(
  'ffd8ffe000104a46494600010101004800480000' +
    'ffdb004300030202020202030202020303030304060404040404080606050609080a0a090809090a0c0f0c0a0b0e0b09090d110d0e0f101011100a0c12131210130f101010' +
    'ffc9000b080001000101011100' +
    'ffcc000600101005' +
    'ffda0008010100003f00d2cf20' +
    'ffd9',
  'hex',
);

/** A QuickTime movie as iPhones write it: an `ftyp` box with brand "qt  ", then an empty `moov`. */
export const TINY_MOV = Buffer.concat([
  box('ftyp', Buffer.concat([Buffer.from('qt  ', 'latin1'), Buffer.from([0, 0, 2, 0]), Buffer.from('qt  ', 'latin1')])),
  box('moov', Buffer.alloc(0)),
]);

/** An MPEG-2 program stream: a pack header then the end code (00 00 01 B9). */
export const TINY_MPEG = Buffer.from('000001ba4400040004010189c3f8' + '000001b9', 'hex');

/** A Windows program: "MZ" and the start of a DOS header. */
export const TINY_EXE = Buffer.concat([Buffer.from('MZ', 'latin1'), Buffer.alloc(62), Buffer.from('This program cannot be run in DOS mode.', 'latin1')]);

/** A minimal Word document: [Content_Types].xml, the package relationships and word/document.xml, zipped. */
export const TINY_DOCX = zip([
  {
    name: '[Content_Types].xml',
    content:
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
      '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
      '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
      '<Default Extension="xml" ContentType="application/xml"/>' +
      '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>' +
      '</Types>',
  },
  {
    name: '_rels/.rels',
    content:
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
      '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
      '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>' +
      '</Relationships>',
  },
  {
    name: 'word/document.xml',
    content:
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
      '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>School form</w:t></w:r></w:p></w:body></w:document>',
  },
]);

/** A plain zip of the same shape with no Word parts: file-type calls it a zip, not a docx. */
export const TINY_ZIP = zip([{ name: 'notes.txt', content: 'not a document' }]);

function box(type: string, data: Buffer): Buffer {
  const size = Buffer.alloc(4);
  size.writeUInt32BE(8 + data.length);
  return Buffer.concat([size, Buffer.from(type, 'latin1'), data]);
}

/** A zip archive of stored (uncompressed) entries: local headers, central directory, end record. */
function zip(entries: { name: string; content: string }[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name, 'utf8');
    const data = Buffer.from(entry.content, 'utf8');
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed
    local.writeUInt16LE(0, 6); // flags
    local.writeUInt16LE(0, 8); // stored
    local.writeUInt32LE(0, 10); // time, date
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4); // made by
    central.writeUInt16LE(20, 6); // needed
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, data);
    centrals.push(central, name);
    offset += local.length + name.length + data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}
