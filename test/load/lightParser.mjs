// A socket.io parser for the load harness's clients (socket.io-client `parser` option): the
// default wire format, but a `traffic:tick` is not JSON-parsed — only its `now` is read, and
// the time it arrived is stamped — nor is a `traffic:snapshot` (the whole window, sent on
// connect and to every screen again when the source catches up): only its size is kept.
// A thousand clients in one process would otherwise spend the harness's single event loop
// parsing a thousand copies of every tick or snapshot one after the other, and the last
// client's "delivery delay" would be the parse time of the 999 before it; each browser
// parses its own copy on its own CPU. Text packets only (surgewatch sends no binary).
import { EventEmitter } from 'node:events';

const TICK = /^2(\d*)\["traffic:tick",\{"now":(\d+)/;
const SNAPSHOT = /^2(\d*)\["traffic:snapshot",/;

export class Encoder {
  /** [type][nsp,][id][json] as a single string, as socket.io-parser writes it. */
  encode(packet) {
    let s = String(packet.type);
    if (packet.nsp && packet.nsp !== '/') s += `${packet.nsp},`;
    if (packet.id !== undefined) s += String(packet.id);
    if (packet.data !== undefined) s += JSON.stringify(packet.data);
    return [s];
  }
}

export class Decoder extends EventEmitter {
  add(str) {
    const receivedAt = Date.now();
    if (typeof str !== 'string') throw new Error('binary packets are not expected here');
    const tick = TICK.exec(str);
    if (tick) {
      this.emit('decoded', {
        type: 2,
        nsp: '/',
        data: ['traffic:tick', { now: Number(tick[2]), receivedAt }],
      });
      return;
    }
    if (SNAPSHOT.test(str)) {
      this.emit('decoded', {
        type: 2,
        nsp: '/',
        data: ['traffic:snapshot', { bytes: str.length, receivedAt }],
      });
      return;
    }
    let i = 1;
    const packet = { type: Number(str[0]), nsp: '/' };
    if (str[i] === '/') {
      const end = str.indexOf(',', i);
      packet.nsp = str.slice(i, end);
      i = end + 1;
    }
    let id = '';
    while (i < str.length && str[i] >= '0' && str[i] <= '9') id += str[i++];
    if (id) packet.id = Number(id);
    if (i < str.length) packet.data = JSON.parse(str.slice(i));
    this.emit('decoded', packet);
  }

  destroy() {
    this.removeAllListeners();
  }
}
