// A real collector chain for packet captures: re-time a classic pcap to now at an attack's
// rate (pure Node), softflowd -r turns it into NetFlow v9, goflow2 turns that into Kafka
// records. Used by test/integration/captures.test.ts and test/bench/captures.mjs.
//
// The captures in shared/captures are from the DDoS Packet Capture Collection by L.F. Haaijer
// (2022), github.com/StopDDoS/packet-captures: "These captures may be freely used to build and
// improve DDoS Protection systems. Attribution is not required, but greatly appreciated. Do
// not claim any of these resources as your own."
import { execFileSync, spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const CAPTURES_ATTRIBUTION =
  'DDoS Packet Capture Collection, L.F. Haaijer (2022), github.com/StopDDoS/packet-captures';

/** shared/captures beside the repository (CAPTURES_DIR overrides). */
export function capturesDir() {
  if (process.env.CAPTURES_DIR) return process.env.CAPTURES_DIR;
  const repo = fileURLToPath(new URL('../../', import.meta.url));
  for (const c of [join(repo, '../shared/captures'), join(repo, 'shared/captures')])
    if (existsSync(join(c, 'pkt.TCP.synflood.spoofed.pcap'))) return c;
  return join(repo, '../shared/captures');
}

const MAGIC_US = 0xa1b2c3d4;
const MAGIC_NS = 0xa1b23c4d;

/**
 * Reads a classic pcap (either byte order, µs or ns timestamps). Returns the link type and
 * each record's captured bytes, original length and time (ms, fractional).
 */
export function readPcap(file) {
  const buf = readFileSync(file);
  if (buf.length < 24) throw new Error(`${file}: too short for a pcap header`);
  let le;
  let ns;
  const m = buf.readUInt32LE(0);
  if (m === MAGIC_US || m === MAGIC_NS) [le, ns] = [true, m === MAGIC_NS];
  else {
    const b = buf.readUInt32BE(0);
    if (b !== MAGIC_US && b !== MAGIC_NS)
      throw new Error(`${file}: not a classic pcap (magic ${m.toString(16)}); pcapng is not read`);
    [le, ns] = [false, b === MAGIC_NS];
  }
  const u32 = (o) => (le ? buf.readUInt32LE(o) : buf.readUInt32BE(o));
  const linktype = u32(20) & 0x0fffffff;
  const snaplen = u32(16);
  const records = [];
  for (let o = 24; o + 16 <= buf.length;) {
    const sec = u32(o);
    const frac = u32(o + 4);
    const incl = u32(o + 8);
    const orig = u32(o + 12);
    if (o + 16 + incl > buf.length) break; // a truncated last record
    records.push({
      timeMs: sec * 1000 + (ns ? frac / 1e6 : frac / 1e3),
      data: buf.subarray(o + 16, o + 16 + incl),
      origLen: orig,
    });
    o += 16 + incl;
  }
  return { linktype, snaplen, records };
}

/**
 * The IPv4/IPv6 header of an Ethernet (link type 1) frame, or null for anything else (ARP,
 * LLDP, ...: softflowd makes no flow of them). VLAN tags are skipped.
 */
export function ipOf(data, linktype = 1) {
  let o = 0;
  let type;
  if (linktype === 1) {
    if (data.length < 14) return null;
    type = data.readUInt16BE(12);
    o = 14;
    while ((type === 0x8100 || type === 0x88a8) && data.length >= o + 4) {
      type = data.readUInt16BE(o + 2);
      o += 4;
    }
  } else if (linktype === 101) {
    type = data[0] >> 4 === 6 ? 0x86dd : 0x0800;
  } else return null;
  if (type === 0x0800 && data.length >= o + 20 && data[o] >> 4 === 4) {
    return {
      v: 4,
      l2: o,
      len: data.readUInt16BE(o + 2),
      proto: data[o + 9],
      src: `${data[o + 12]}.${data[o + 13]}.${data[o + 14]}.${data[o + 15]}`,
      dst: `${data[o + 16]}.${data[o + 17]}.${data[o + 18]}.${data[o + 19]}`,
    };
  }
  if (type === 0x86dd && data.length >= o + 40) {
    const hex = (p) => data.subarray(p, p + 16).toString('hex');
    return {
      v: 6,
      l2: o,
      len: data.readUInt16BE(o + 4) + 40,
      proto: data[o + 6],
      src: hex(o + 8),
      dst: hex(o + 24),
    };
  }
  return null;
}

/**
 * Re-times a pcap: packet i of the output is stamped `startMs + i * 1000 / pps` (µs
 * precision), the capture looped as often as `durationMs` of packets at `pps` needs (without
 * `durationMs`: every packet once). Writes a little-endian µs pcap with the input's link type.
 * Returns what flow exporters will count, in all and to each destination: IP packets, `bytes`
 * (the frame past its link header, as softflowd counts octets: Ethernet padding included) and
 * `ipBytes` (the IP total length); and the first and last times (ms).
 */
export function retime(pcapIn, pcapOut, { pps, startMs, durationMs } = {}) {
  if (!(pps > 0)) throw new Error('retime: pps must be > 0');
  if (!Number.isFinite(startMs)) throw new Error('retime: startMs (ms epoch) is required');
  const { linktype, snaplen, records } = readPcap(pcapIn);
  if (records.length === 0) throw new Error(`${pcapIn}: no packets`);
  const n =
    durationMs === undefined ? records.length : Math.max(1, Math.round((durationMs * pps) / 1000));
  const startUs = Math.round(startMs * 1000);
  let size = 24;
  for (let i = 0; i < n; i++) size += 16 + records[i % records.length].data.length;
  const out = Buffer.alloc(size);
  out.writeUInt32LE(MAGIC_US, 0);
  out.writeUInt16LE(2, 4);
  out.writeUInt16LE(4, 6);
  out.writeUInt32LE(snaplen || 65535, 16);
  out.writeUInt32LE(linktype, 20);
  const info = records.map((r) => ipOf(r.data, linktype));
  const stats = {
    packets: n,
    frameBytes: 0,
    ipPackets: 0,
    ipBytes: 0,
    bytes: 0,
    byDestination: {},
    firstMs: startMs,
    lastMs: startMs,
    loops: n / records.length,
  };
  let o = 24;
  for (let i = 0; i < n; i++) {
    const r = records[i % records.length];
    const us = startUs + Math.floor((i * 1e6) / pps);
    out.writeUInt32LE(Math.floor(us / 1e6), o);
    out.writeUInt32LE(us % 1e6, o + 4);
    out.writeUInt32LE(r.data.length, o + 8);
    out.writeUInt32LE(r.origLen, o + 12);
    r.data.copy(out, o + 16);
    o += 16 + r.data.length;
    stats.frameBytes += r.origLen;
    const ip = info[i % records.length];
    if (ip) {
      stats.ipPackets++;
      stats.ipBytes += ip.len;
      stats.bytes += r.origLen - ip.l2;
      const d = (stats.byDestination[ip.dst] ??= { packets: 0, bytes: 0, ipBytes: 0 });
      d.packets++;
      d.bytes += r.origLen - ip.l2;
      d.ipBytes += ip.len;
    }
    stats.lastMs = us / 1000;
  }
  writeFileSync(pcapOut, out);
  return stats;
}

/** Where a tool lives: the env variable, then the given candidates, then PATH; else null. */
function locate(name, envVar, candidates = []) {
  const given = process.env[envVar];
  if (given) return existsSync(given) ? given : null;
  for (const c of candidates) if (c && existsSync(c)) return c;
  for (const dir of (process.env.PATH ?? '').split(':').concat(['/usr/sbin', '/sbin'])) {
    if (dir && existsSync(join(dir, name))) return join(dir, name);
  }
  return null;
}

function goBin() {
  for (const go of ['go', '/usr/local/go/bin/go']) {
    try {
      const p = execFileSync(go, ['env', 'GOPATH'], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      }).trim();
      if (p) return join(p.split(':')[0], 'bin');
    } catch {
      // this go is not there
    }
  }
  return join(process.env.HOME ?? '/root', 'go/bin');
}

/** softflowd's path (SOFTFLOWD, then PATH and /usr/sbin); throws with how to install it. */
export function softflowdPath() {
  const p = locate('softflowd', 'SOFTFLOWD');
  if (!p)
    throw new Error(
      'softflowd not found: apt-get install softflowd (.ci/run installs it), or set SOFTFLOWD',
    );
  return p;
}

/** goflow2's path (GOFLOW2, then $(go env GOPATH)/bin, then PATH); throws with how to install it. */
export function goflow2Path() {
  const p = locate('goflow2', 'GOFLOW2', [join(goBin(), 'goflow2')]);
  if (!p)
    throw new Error(
      'goflow2 not found: go install github.com/netsampler/goflow2/v2/cmd/goflow2@v2.2.6 (.ci/run installs it), or set GOFLOW2',
    );
  return p;
}

/** A UDP or TCP port on 127.0.0.1 that is free right now. */
export function freePort(kind = 'tcp') {
  return new Promise((resolve, reject) => {
    if (kind === 'udp') {
      const s = createSocket('udp4');
      s.once('error', reject);
      s.bind(0, '127.0.0.1', () => {
        const { port } = s.address();
        s.close(() => resolve(port));
      });
      return;
    }
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

function run(cmd, args, { timeoutMs }) {
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    p.stdout.setEncoding('utf8').on('data', (d) => (out += d));
    p.stderr.setEncoding('utf8').on('data', (d) => (out += d));
    const timer = setTimeout(() => p.kill('SIGKILL'), timeoutMs);
    p.once('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    p.once('exit', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve(out);
      else reject(new Error(`${cmd} ${args.join(' ')}: ${signal ?? `exit ${code}`}\n${out}`));
    });
  });
}

/** Writes `records` (from {@link readPcap}) as a little-endian µs pcap. */
export function writePcap(file, { linktype, snaplen }, records) {
  let size = 24;
  for (const r of records) size += 16 + r.data.length;
  const out = Buffer.alloc(size);
  out.writeUInt32LE(MAGIC_US, 0);
  out.writeUInt16LE(2, 4);
  out.writeUInt16LE(4, 6);
  out.writeUInt32LE(snaplen || 65535, 16);
  out.writeUInt32LE(linktype, 20);
  let o = 24;
  for (const r of records) {
    const us = Math.round(r.timeMs * 1000);
    out.writeUInt32LE(Math.floor(us / 1e6), o);
    out.writeUInt32LE(us % 1e6, o + 4);
    out.writeUInt32LE(r.data.length, o + 8);
    out.writeUInt32LE(r.origLen, o + 12);
    r.data.copy(out, o + 16);
    o += 16 + r.data.length;
  }
  writeFileSync(file, out);
}

async function softflowdOnce(pcap, { port, host, maxlife, maxFlows, timeoutMs }) {
  // -a: flow times from the packets' clock. Without it softflowd -r counts sysUptime from its
  // own start, so a packet stamped before that start gets a negative uptime that wraps by 2^32
  // ms (goflow2 then dates the flow ~50 days ahead).
  const args = ['-a', '-r', pcap, '-v', '9', '-n', `${host}:${port}`, '-d'];
  for (const t of [`maxlife=${maxlife}`, 'expint=1', 'tcp=1', 'udp=1', 'icmp=1', 'general=1'])
    args.push('-t', t);
  if (maxFlows) args.push('-m', String(maxFlows));
  const out = await run(softflowdPath(), args, { timeoutMs });
  const num = (re) => Number(re.exec(out)?.[1] ?? NaN);
  return {
    packets: num(/Packets processed:\s*(\d+)/i),
    flowsExported: num(/Flows exported:\s*(\d+)/i),
    datagrams: num(/Flows exported:[^\n]* in (\d+) packets/i),
    failures: num(/\((\d+) failures\)/i),
    output: out,
  };
}

/**
 * softflowd -r: reads `pcap`, exports NetFlow v9 to `host`:`port` and exits; at the end of the
 * file it expires and exports every flow still open. softflowd sends as fast as it reads, far
 * faster than a collector drains a default-sized UDP receive buffer (~200 KiB), so with
 * `received` (an async count of the datagrams the collector has taken off its socket, e.g.
 * goflow2's flow_traffic_packets_total) the capture goes in slices of `chunkPackets` packets,
 * one softflowd run each, the next only once the collector has received every datagram of
 * the last: no datagram is lost and nothing waits on the clock. A flow that spans two slices
 * is exported as two records; packet and byte totals are unchanged. Returns the totals
 * softflowd reports (packets it saw, flows exported, datagrams sent, send failures).
 */
export async function softflowdExport(
  pcap,
  {
    port,
    host = '127.0.0.1',
    maxlife = 1,
    maxFlows,
    received,
    chunkPackets = 2_000,
    timeoutMs = 60_000,
  } = {},
) {
  const opts = { port, host, maxlife, maxFlows, timeoutMs };
  if (!received) return softflowdOnce(pcap, opts);
  const cap = readPcap(pcap);
  const total = { packets: 0, flowsExported: 0, datagrams: 0, failures: 0, runs: 0, output: '' };
  const deadline = Date.now() + timeoutMs;
  const base = await received();
  const slice = `${pcap}.slice.pcap`;
  try {
    for (let i = 0; i < cap.records.length; i += chunkPackets) {
      writePcap(slice, cap, cap.records.slice(i, i + chunkPackets));
      const r = await softflowdOnce(slice, opts);
      total.packets += r.packets;
      total.flowsExported += r.flowsExported;
      total.datagrams += r.datagrams;
      total.failures += r.failures;
      total.runs++;
      total.output = r.output;
      while ((await received()) - base < total.datagrams) {
        if (Date.now() > deadline)
          throw new Error(
            `the collector received ${(await received()) - base} of ${total.datagrams} datagrams within ${timeoutMs} ms`,
          );
        await new Promise((res) => setTimeout(res, 5));
      }
    }
  } finally {
    rmSync(slice, { force: true });
  }
  return total;
}

/** True when a UDP socket is bound to 127.0.0.1:`port` or *:`port` (/proc/net/udp). */
export function udpBound(port) {
  const hex = port.toString(16).toUpperCase().padStart(4, '0');
  for (const f of ['/proc/net/udp', '/proc/net/udp6']) {
    if (!existsSync(f)) continue;
    for (const line of readFileSync(f, 'utf8').split('\n').slice(1)) {
      const local = line.trim().split(/\s+/)[1];
      if (local?.endsWith(`:${hex}`)) return true;
    }
  }
  return false;
}

/**
 * Starts goflow2 v2 listening for NetFlow on a free UDP port of 127.0.0.1 and writing to Kafka
 * `topic` in `format` ('bin' = goflow2-pb, 'json'), flushing its producer every `flushFreq`
 * (goflow2's own default is 5s). Ready once its metrics endpoint answers and its NetFlow
 * socket is bound. `stop()` sends SIGTERM (SIGKILL after 5 s). One decoding worker by
 * default: with two, a data set can be decoded before the template that came just ahead of it
 * in the same burst ("template error", the records dropped), which softflowd -r, one new
 * exporter per slice, would hit on every slice.
 */
export async function startGoflow2({
  brokers,
  topic,
  format = 'bin',
  port,
  flushFreq = '200ms',
  workers = 1,
  log = () => {},
  timeoutMs = 30_000,
}) {
  const bin = goflow2Path();
  const udp = port ?? (await freePort('udp'));
  const addr = await freePort('tcp');
  const args = [
    `-listen=netflow://127.0.0.1:${udp}?count=1&workers=${workers}`,
    `-addr=127.0.0.1:${addr}`,
    `-format=${format}`,
    '-transport=kafka',
    `-transport.kafka.brokers=${brokers.join(',')}`,
    `-transport.kafka.topic=${topic}`,
    `-transport.kafka.flushfreq=${flushFreq}`,
    '-loglevel=info',
  ];
  const proc = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const logs = [];
  const onData = (d) => {
    for (const l of String(d).split('\n')) {
      if (!l) continue;
      logs.push(l);
      log(l);
    }
    if (logs.length > 2000) logs.splice(0, 1000);
  };
  proc.stdout.on('data', onData);
  proc.stderr.on('data', onData);
  const exited = new Promise((r) => proc.once('exit', (code, sig) => r(sig ?? code)));
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (proc.exitCode !== null || proc.signalCode !== null)
      throw new Error(`goflow2 exited before it was ready:\n${logs.join('\n')}`);
    const ok = await fetch(`http://127.0.0.1:${addr}/metrics`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok && udpBound(udp)) break;
    if (Date.now() > deadline) {
      proc.kill('SIGKILL');
      throw new Error(`goflow2 not ready after ${timeoutMs} ms:\n${logs.join('\n')}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    port: udp,
    metricsUrl: `http://127.0.0.1:${addr}/metrics`,
    proc,
    logs,
    /** The sum of a Prometheus counter over all its label sets (0 when absent). */
    async metric(name) {
      const text = await (await fetch(`http://127.0.0.1:${addr}/metrics`)).text();
      let sum = 0;
      for (const line of text.split('\n')) {
        const m = /^([a-zA-Z_:][\w:]*)(?:\{[^}]*\})? (\S+)$/.exec(line);
        if (m && m[1] === name) sum += Number(m[2]);
      }
      return sum;
    },
    async stop() {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      proc.kill('SIGTERM');
      const t = setTimeout(() => proc.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(t);
    },
  };
}
