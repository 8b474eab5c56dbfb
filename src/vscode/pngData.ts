/**
 * The landscape PNG the Lab sends, as bytes to save: a data: URL that must hold a PNG (its 8-byte signature), not
 * just claim to. Pure, so that the check is unit-tested.
 */
export function pngBytes(dataUrl: string): Uint8Array | undefined {
  const m = /^data:image\/png;base64,([A-Za-z0-9+/=]+)$/.exec(dataUrl);
  if (!m) return undefined;
  const bytes = Buffer.from(m[1], 'base64');
  const signature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  return signature.every((b, i) => bytes[i] === b) ? new Uint8Array(bytes) : undefined;
}
