// floor-port: the floor (floor.js) with our handshake, hand-written: the hosted page's hello checked (origin first,
// as floor.js, then source, shape, channel), a private MessagePort handed to that window only, `init` over it, and
// the page's messages taken from the port. What a merchant would write for the same channel's security without
// the SDK. For the benchmark only; never shipped.
const NS = 'facesign';
const V = 1;

export class FloorPortHost {
  constructor(url, origin) {
    this.host = document.createElement('div');
    const root = this.host.attachShadow({ mode: 'open' });
    const frame = (this.frame = document.createElement('iframe'));
    const channel = crypto.randomUUID().replaceAll('-', '');
    frame.allow = 'camera; microphone; fullscreen; autoplay; clipboard-write';
    frame.referrerPolicy = 'strict-origin';
    frame.src = `${url}${url.includes('?') ? '&' : '?'}fs_channel=${channel}&fs_v=${V}&fs_origin=${encodeURIComponent(location.origin)}`;
    root.append(frame);
    this.onMessage = (e) => {
      if (e.origin !== origin || e.source !== frame.contentWindow || !e.isTrusted) return;
      const d = e.data;
      if (typeof d !== 'object' || d === null || d.ns !== NS || d.v !== V || d.type !== 'hello' || d.channel !== channel) return;
      this.port?.close();
      const { port1, port2 } = new MessageChannel();
      this.port = port1;
      port1.onmessage = (ev) => {
        const m = ev.data;
        if (typeof m !== 'object' || m === null || m.ns !== NS || typeof m.type !== 'string') return;
        this.host.dispatchEvent(new CustomEvent(`floor-${m.type}`, { detail: m, bubbles: true, composed: true }));
      };
      e.source.postMessage({ ns: NS, v: V, type: 'connect', channel }, origin, [port2]);
      port1.postMessage({ ns: NS, v: V, type: 'init', secret: 'vs_bench_secret_0123456789', mode: 'inline' });
    };
    addEventListener('message', this.onMessage);
  }
  mount(parent) {
    parent.append(this.host);
    return this;
  }
  remove() {
    removeEventListener('message', this.onMessage);
    this.port?.close();
    this.host.remove();
  }
}
