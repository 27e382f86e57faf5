// Is a Kafka broker serving? A raw-protocol probe with node built-ins only, so `pnpm kafka:up`
// needs no package: ApiVersions v0 (every broker answers it) tells which Metadata version to
// speak, then Metadata (no topics) must list at least one live broker. A KRaft broker joins
// the metadata response only once it is unfenced, i.e. ready to host partitions.
import net from 'node:net';

const API_METADATA = 3;
const API_VERSIONS = 18;
const CLIENT_ID = 'surgewatch-probe';

/** @param {number} apiKey @param {number} version @param {number} correlationId @param {Buffer} body */
function frame(apiKey, version, correlationId, body) {
  const client = Buffer.from(CLIENT_ID, 'utf8');
  const header = Buffer.alloc(10 + client.length);
  header.writeInt16BE(apiKey, 0);
  header.writeInt16BE(version, 2);
  header.writeInt32BE(correlationId, 4);
  header.writeInt16BE(client.length, 8);
  client.copy(header, 10);
  const size = Buffer.alloc(4);
  size.writeInt32BE(header.length + body.length, 0);
  return Buffer.concat([size, header, body]);
}

/**
 * Sends one request and resolves with the response body (after the correlation id).
 * @param {net.Socket} socket @param {Buffer} request @param {number} timeoutMs
 * @returns {Promise<Buffer>}
 */
function roundTrip(socket, request, timeoutMs) {
  return new Promise((resolve, reject) => {
    /** @type {Buffer[]} */
    const chunks = [];
    const timer = setTimeout(
      () => finish(new Error('timed out waiting for a response')),
      timeoutMs,
    );
    /** @param {Buffer} chunk */
    const onData = (chunk) => {
      chunks.push(chunk);
      const all = Buffer.concat(chunks);
      if (all.length >= 4 && all.length >= 4 + all.readInt32BE(0))
        finish(null, all.subarray(8, 4 + all.readInt32BE(0)));
    };
    const onError = (/** @type {Error} */ err) => finish(err);
    const onClose = () => finish(new Error('connection closed by the broker'));
    /** @param {Error | null} err @param {Buffer} [body] */
    function finish(err, body) {
      clearTimeout(timer);
      socket.off('data', onData).off('error', onError).off('close', onClose);
      if (err || !body) reject(err ?? new Error('empty response'));
      else resolve(body);
    }
    socket.on('data', onData).on('error', onError).on('close', onClose);
    socket.write(request);
  });
}

/** @param {Buffer} body ApiVersions v0 response body → Map apiKey → [min, max] */
function parseApiVersions(body) {
  const errorCode = body.readInt16BE(0);
  if (errorCode !== 0) throw new Error(`ApiVersions error code ${errorCode}`);
  const n = body.readInt32BE(2);
  /** @type {Map<number, [number, number]>} */
  const out = new Map();
  for (let i = 0, o = 6; i < n; i++, o += 6)
    out.set(body.readInt16BE(o), [body.readInt16BE(o + 2), body.readInt16BE(o + 4)]);
  return out;
}

/**
 * @param {Buffer} body Metadata v1–v8 response body
 * @param {number} version
 * @returns {number} how many live brokers it lists
 */
function parseBrokerCount(body, version) {
  return body.readInt32BE(version >= 3 ? 4 : 0); // v3+ starts with throttle_time_ms
}

/**
 * Resolves with the number of live brokers the one at host:port knows of; rejects when it
 * does not answer (refused, closed, timed out, error code).
 * @param {{ host?: string; port: number; timeoutMs?: number }} opts
 * @returns {Promise<number>}
 */
export async function probeBroker({ host = '127.0.0.1', port, timeoutMs = 2000 }) {
  const socket = net.connect({ host, port });
  socket.setNoDelay(true);
  try {
    await new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error('connect timed out')), timeoutMs);
      socket.once('connect', () => (clearTimeout(t), resolve(undefined)));
      socket.once('error', (err) => (clearTimeout(t), reject(err)));
    });
    const versions = parseApiVersions(
      await roundTrip(socket, frame(API_VERSIONS, 0, 1, Buffer.alloc(0)), timeoutMs),
    );
    const range = versions.get(API_METADATA);
    if (!range) throw new Error('broker does not offer Metadata');
    // v1–v8 share a non-flexible layout; v4+ adds allow_auto_topic_creation.
    const version = Math.min(Math.max(range[0], 1), 8);
    if (version > range[1])
      throw new Error(`no Metadata version in 1..8 (broker: ${range[0]}..${range[1]})`);
    const body = Buffer.alloc(version >= 4 ? 5 : 4);
    body.writeInt32BE(0, 0); // an empty topic list: brokers only
    if (version >= 4) body.writeInt8(0, 4);
    const res = await roundTrip(socket, frame(API_METADATA, version, 2, body), timeoutMs);
    return parseBrokerCount(res, version);
  } finally {
    socket.destroy();
  }
}
