// The floor (floor-min): the least a page can do to host a verification iframe. One `message` listener with the
// origin and source checks, one CustomEvent per message. For the benchmark only; never shipped. Same iframe
// attributes and a shadow root like the element's, so the difference measured is the SDK's own work. The origin
// is checked first, the cheapest order: a message from elsewhere never reads the frame's contentWindow, which in
// Chromium creates the script context of a frame's initial about:blank while its navigation has not committed
// (milliseconds a frame).
export class FloorHost {
  constructor(url, origin) {
    this.host = document.createElement('div');
    const root = this.host.attachShadow({ mode: 'open' });
    const frame = (this.frame = document.createElement('iframe'));
    frame.allow = 'camera; microphone; fullscreen; autoplay; clipboard-write';
    frame.referrerPolicy = 'strict-origin';
    frame.src = url;
    root.append(frame);
    this.onMessage = (e) => {
      if (e.origin !== origin || e.source !== frame.contentWindow) return;
      this.host.dispatchEvent(new CustomEvent(`floor-${e.data.type}`, { detail: e.data, bubbles: true, composed: true }));
    };
    addEventListener('message', this.onMessage);
  }
  mount(parent) {
    parent.append(this.host);
    return this;
  }
  remove() {
    removeEventListener('message', this.onMessage);
    this.host.remove();
  }
}
