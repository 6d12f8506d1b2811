// A request's or response's body read whole, refused as soon as it is larger than a limit:
// by its declared Content-Length when there is one, else by counting while it streams, so an
// oversized (or chunked, undeclared) body is never held in memory. Free of Deno APIs.

type WithBody = { headers: Headers; body: ReadableStream<Uint8Array> | null };

/** The body's bytes; `tooLarge()` is thrown (and the body cancelled) past `maxBytes`. */
export async function readCapped(
  message: WithBody,
  maxBytes: number,
  tooLarge: () => Error,
): Promise<Uint8Array> {
  const declared = Number(message.headers.get('content-length') ?? NaN);
  if (declared > maxBytes) {
    await message.body?.cancel();
    throw tooLarge();
  }
  if (!message.body) return new Uint8Array();
  const reader = message.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(value);
  }
  const out = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}
