/**
 * The merchant's own app: `webview="own-app"` says this page runs in the app's WebView, which grants the camera.
 * A generic WebView (Android's `; wv)`, an iOS WKWebView without a `Safari/` token) is then not refused; social
 * apps' in-app browsers still are; a WebView with no camera API says so with a code of its own. Real user agents.
 */
import { expect } from '@open-wc/testing';
import { browserObstacle } from '../../src/surfaces/obstacles.js';
import { cleanup, frameOf, mount, types, waitFor } from './helpers.js';

const ANDROID_WEBVIEW =
  'Mozilla/5.0 (Linux; Android 14; Pixel 8 Build/UQ1A.240205.004; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/122.0.6261.106 Mobile Safari/537.36';
const IOS_WKWEBVIEW = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148';
const SOCIAL = [
  'Mozilla/5.0 (Linux; Android 14; Pixel 8 Build/UQ1A.240205.004; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/122.0.6261.106 Mobile Safari/537.36 Instagram 321.0.0.39.106 Android (34/14; 420dpi; 1080x2400; Google/google; Pixel 8; shiba; shiba; en_US; 574185401)',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_3 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 [FBAN/FBIOS;FBAV/452.0.0.39.110;FBBV/574931419;FBDV/iPhone14,2;FBMD/iPhone;FBSN/iOS;FBSV/17.3;FBSS/3;FBCR/;FBID/phone;FBLC/en_US;FBOP/80]',
  'Mozilla/5.0 (Linux; Android 13; SM-S918B Build/TP1A.220624.014; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/121.0.6167.178 Mobile Safari/537.36 trill_330604 JsSdk/1.0 NetType/WIFI Channel/googleplay AppName/musical_ly app_version/33.6.4 ByteLocale/en ByteFullLocale/en Region/US BytedanceWebview/d8a21c6',
];

/** Runs `f` with `navigator[key]` replaced by `value`, then puts it back. */
async function stubbed<T>(key: 'userAgent' | 'mediaDevices', value: unknown, f: () => T | Promise<T>): Promise<T> {
  const own = Object.getOwnPropertyDescriptor(navigator, key);
  Object.defineProperty(navigator, key, { value, configurable: true });
  try {
    return await f();
  } finally {
    if (own) Object.defineProperty(navigator, key, own);
    else delete (navigator as unknown as Record<string, unknown>)[key];
  }
}

describe('webview: the merchant’s own app', () => {
  afterEach(cleanup);

  it('refuse (the default): an Android WebView is an in-app browser; own-app: a generic WebView is not refused', () => {
    expect(browserObstacle(ANDROID_WEBVIEW)).to.equal('in_app');
    expect(browserObstacle(ANDROID_WEBVIEW, 'refuse')).to.equal('in_app');
    expect(browserObstacle(ANDROID_WEBVIEW, 'own-app')).to.equal(undefined);
    expect(browserObstacle(IOS_WKWEBVIEW, 'own-app')).to.equal(undefined);
  });

  it('own-app: social apps’ in-app browsers are still refused', () => {
    for (const ua of SOCIAL) expect(browserObstacle(ua, 'own-app'), ua.slice(-40)).to.equal('in_app');
  });

  it('own-app with no camera API: webview_no_camera (a browser without one stays no_camera)', async () => {
    await stubbed('mediaDevices', undefined, () => {
      expect(browserObstacle(ANDROID_WEBVIEW, 'own-app')).to.equal('webview_no_camera');
      expect(browserObstacle(IOS_WKWEBVIEW, 'own-app')).to.equal('webview_no_camera');
      expect(browserObstacle(IOS_WKWEBVIEW, 'refuse')).to.equal('no_camera');
      expect(browserObstacle(SOCIAL[0], 'own-app')).to.equal('in_app');
    });
  });

  it('an Android WebView with webview="own-app": the frame loads and connects, no error', async () => {
    await stubbed('userAgent', ANDROID_WEBVIEW, async () => {
      const m = mount({ webview: 'own-app' });
      await waitFor(m, 'facesign-ready');
      expect(frameOf(m.el)).to.not.equal(null);
      expect(types(m)).to.not.include('facesign-error');
      expect(m.el.webview).to.equal('own-app');
    });
  });

  it('an Android WebView without the setting: refused as today (unsupported_browser, in_app)', async () => {
    await stubbed('userAgent', ANDROID_WEBVIEW, async () => {
      const m = mount();
      const err = await waitFor(m, 'facesign-error');
      expect(err.detail).to.include({ code: 'unsupported_browser', recoverable: true });
      expect(m.el.webview).to.equal('refuse');
      expect(frameOf(m.el)).to.equal(null);
    });
  });

  it('own-app without a camera API: webview_no_camera before anything loads, and the way out is offered', async () => {
    await stubbed('userAgent', ANDROID_WEBVIEW, () =>
      stubbed('mediaDevices', undefined, async () => {
        const m = mount({ webview: 'own-app' });
        const err = await waitFor(m, 'facesign-error');
        expect(err.detail).to.include({ code: 'webview_no_camera', recoverable: true });
        expect((await waitFor(m, 'facesign-fallback')).detail).to.deep.equal({ reason: 'webview_no_camera', via: 'browser' });
        expect(frameOf(m.el)).to.equal(null);
        expect(m.terminal()).to.deep.equal([]);
      }),
    );
  });

  it('own-app without a camera API and fallback="none": only the error, for the app to act on', async () => {
    await stubbed('mediaDevices', undefined, async () => {
      const m = mount({ webview: 'own-app', fallback: 'none' });
      const err = await waitFor(m, 'facesign-error');
      expect(err.detail).to.include({ code: 'webview_no_camera', recoverable: true });
      await m.el.updateComplete;
      expect(types(m)).to.deep.equal(['facesign-error']);
      expect(m.el.shadowRoot!.querySelector('[part=reference]')?.textContent).to.contain('webview_no_camera');
    });
  });

  it('a value that is not refuse or own-app: invalid_option naming webview, without repeating the value; no iframe', async () => {
    const m = mount({ webview: 'sideways' });
    const err = (await waitFor(m, 'facesign-error')).detail as { code: string; message: string; recoverable: boolean };
    expect([err.code, err.recoverable]).to.deep.equal(['invalid_option', false]);
    expect(err.message).to.match(/^webview must be "refuse" \(the default\) or "own-app"/);
    expect(err.message).to.not.contain('sideways');
    expect(frameOf(m.el)).to.equal(null);
  });
});
