/*
 * GlobalGateway Image Capture SDK — browser shim.
 *
 * One script tag defines four globals:
 *   StartFrontDocumentCapture(isAuto, shouldCollectGeo, startProcess, showImage, showError, token)
 *   StartBackDocumentCapture (isAuto, shouldCollectGeo, startProcess, showImage, showError, token)
 *   StartPassportCapture     (isAuto, shouldCollectGeo, startProcess, showImage, showError, token)
 *   StartSelfieCapture       (isAuto, shouldCollectGeo, startProcess, showImage, showError, token)
 *
 * The shim owns the camera, the overlay and the callbacks; every decision (is the document in the
 * frame, is it sharp, when to snap, crop, JPEG + EXIF) is made by capture.wasm, loaded on first use
 * from this script's own folder. Images stay in memory: nothing is written to storage.
 */
(function () {
  'use strict';

  var SDK_VERSION = '0.1.0';
  var script = document.currentScript;
  var BASE = new URL('.', (script && script.src) || location.href).href;

  // ---- errors ------------------------------------------------------------------------------
  var ERRORS = {
    1000: ['FAIL_TO_INITIALIZE', 'The capture component failed to load.'],
    1001: ['IMAGE_SMALLER_THAN_MIN_SIZE', 'The image is smaller than the minimum size.'],
    1002: ['CORRUPT_IMAGE', 'The image could not be read.'],
    1003: ['FILE_TYPE_INVALID', 'The file is not a JPEG, PNG or WebP image.'],
    1004: ['FILE_SIZE_OVER_LIMIT', 'The file is larger than the size limit.'],
    1005: ['AUTO_CAPTURE_NOT_SUPPORT', 'This camera or page cannot run auto capture (1280x720 over HTTPS is needed).'],
    1006: ['FAIL_TO_AUTO_CAPTURE', 'Auto capture did not succeed in time.'],
    1007: ['FAIL_TO_MANUAL_CAPTURE', 'Manual capture failed.'],
    1008: ['MISSING_TOKEN', 'No SDK token was given.'],
    1009: ['INVALID_TOKEN', 'The SDK token is invalid or expired.'],
    1010: ['NO_MORE_TOKEN_ATTEMPTS', 'The SDK token has no attempts left.'],
    1011: ['INVALID_ORIGIN_URL', 'The SDK token was not issued for this site.'],
    1012: ['MISSING_IMAGE', 'No image was sent.'],
    1013: ['FAIL_TO_GET_LIVENESS_DATA', 'The liveness service failed or could not be reached.'],
    1014: ['FAIL_TO_GET_CLASSIFICATION_DATA', 'The classification service failed or could not be reached.'],
    1015: ['FAIL_TO_CAPTURE', 'The camera could not be used (permission denied or camera lost).'],
    1016: ['FAIL_TO_PROCESS', 'The captured image could not be processed.'],
    1019: ['UNSUPPORTED_BROWSER', 'This browser lacks WebAssembly, camera access or WebGL.'],
    1020: ['CAPTURE_CANCELLED', 'The capture was cancelled.'],
    1021: ['CAPTURE_IN_PROGRESS', 'A capture is already running.']
  };
  function sdkError(code, message) {
    var e = ERRORS[code] || ['UNKNOWN', 'Unknown error'];
    return { code: code, type: e[0], message: message || e[1] };
  }
  function CaptureFailure(code, message) { this.code = code; this.message = message; }

  // ---- configuration -----------------------------------------------------------------------
  var DEFAULT_MESSAGES = {
    no_document: 'Place the document inside the frame',
    move_closer: 'Move closer',
    too_close: 'Too close',
    reduce_glare: 'Reduce glare',
    blurry: 'Hold steady — the image is blurry',
    hold_steady: 'Hold steady',
    capturing: 'Capturing…',
    center_face: 'Center your face',
    move_back: 'Move back',
    look_straight: 'Look straight',
    only_one_face: 'Only one face',
    hold_still: 'Hold still',
    turn_sideways: 'Turn your phone sideways',
    starting: 'Starting the camera…',
    processing: 'Processing…',
    cancel: 'Cancel'
  };
  function config() {
    var c = window.GlobalGatewayCaptureConfig || {};
    var th = c.thresholds || {};
    return {
      serviceURL: String(c.serviceURL || c.serviceUrl || new URL(BASE).origin).replace(/\/+$/, ''),
      locale: c.locale || 'en',
      timeoutMs: c.autoCaptureTimeoutMs > 0 ? +c.autoCaptureTimeoutMs : 30000,
      frameSource: c.frameSource || 'auto',
      maxFileBytes: c.maxFileBytes > 0 ? +c.maxFileBytes : 15 * 1024 * 1024,
      thresholds: { glare: +th.glare || 0, sharpness: +th.sharpness || 0, dpi: +th.dpi || 0 },
      messages: Object.assign({}, DEFAULT_MESSAGES, c.messages || {}),
      geoTimeoutMs: c.geoTimeoutMs > 0 ? +c.geoTimeoutMs : 10000
    };
  }

  // ---- the WASM core -----------------------------------------------------------------------
  var corePromise = null;
  function loadScript(src) {
    return new Promise(function (resolve, reject) {
      var s = document.createElement('script');
      s.src = src;
      s.async = true;
      s.onload = function () { resolve(); };
      s.onerror = function () { reject(new Error('cannot load ' + src)); };
      document.head.appendChild(s);
    });
  }
  function loadCore() {
    if (corePromise) return corePromise;
    corePromise = (async function () {
      if (typeof window.Go !== 'function') await loadScript(BASE + 'wasm_exec.js');
      var go = new window.Go();
      var resp = fetch(BASE + 'capture.wasm', { credentials: 'same-origin' });
      var result;
      try {
        result = await WebAssembly.instantiateStreaming(resp, go.importObject);
      } catch (e) {
        // Servers that do not send application/wasm: fall back to an ArrayBuffer.
        var r = await fetch(BASE + 'capture.wasm', { credentials: 'same-origin' });
        if (!r.ok) throw new Error('capture.wasm: HTTP ' + r.status);
        result = await WebAssembly.instantiate(await r.arrayBuffer(), go.importObject);
      }
      var ready = new Promise(function (resolve) { window.__ggcoreReady = resolve; });
      go.run(result.instance);
      await ready;
      var core = window.__ggcore;
      core.memory = result.instance.exports.mem;
      return core;
    })();
    corePromise.catch(function () { corePromise = null; });
    return corePromise;
  }
  var cascadePromise = null;
  function loadCascades(core) {
    if (cascadePromise) return cascadePromise;
    cascadePromise = Promise.all(['facefinder', 'puploc'].map(function (n) {
      return fetch(BASE + 'cascade/' + n).then(function (r) {
        if (!r.ok) throw new Error('cascade ' + n + ': HTTP ' + r.status);
        return r.arrayBuffer();
      });
    })).then(function (bufs) {
      var err = core.loadCascades(new Uint8Array(bufs[0]), new Uint8Array(bufs[1]));
      if (err) throw new Error(err);
    });
    cascadePromise.catch(function () { cascadePromise = null; });
    return cascadePromise;
  }

  // ---- checks ------------------------------------------------------------------------------
  function browserProblem(isAuto) {
    if (typeof WebAssembly !== 'object' || typeof WebAssembly.instantiate !== 'function') return 1019;
    if (!isAuto) return 0;
    if (!window.isSecureContext) return 1005;
    if (!navigator.mediaDevices || typeof navigator.mediaDevices.getUserMedia !== 'function') return 1019;
    try {
      var c = document.createElement('canvas');
      if (!(c.getContext('webgl2') || c.getContext('webgl'))) return 1019;
    } catch (e) { return 1019; }
    return 0;
  }
  function b64urlJSON(s) {
    s = s.replace(/-/g, '+').replace(/_/g, '/');
    while (s.length % 4) s += '=';
    return JSON.parse(decodeURIComponent(escape(atob(s))));
  }
  // tokenProblem checks what a page can check without the service: presence, shape, expiry and
  // the origins the token was minted for. The service checks the signature and use count.
  function tokenProblem(token) {
    if (typeof token !== 'string' || token.trim() === '') return [1008];
    var parts = token.split('.');
    if (parts.length !== 3) return [1009, 'The SDK token is malformed.'];
    var claims;
    try { claims = b64urlJSON(parts[1]); } catch (e) { return [1009, 'The SDK token is malformed.']; }
    if (typeof claims.exp === 'number' && claims.exp * 1000 <= Date.now()) return [1009, 'The SDK token has expired.'];
    var origins = claims.origins || claims.domains || claims.ori;
    if (Array.isArray(origins) && origins.length && !originAllowed(location.origin, origins)) {
      return [1011, 'The SDK token was not issued for ' + location.origin + '.'];
    }
    return null;
  }
  function originAllowed(origin, patterns) {
    var o;
    try { o = new URL(origin); } catch (e) { return false; }
    return patterns.some(function (p) {
      var u;
      try { u = new URL(String(p).replace('*.', 'wildcard-placeholder.')); } catch (e) { return false; }
      if (u.protocol !== o.protocol || u.port !== o.port) return false;
      if (u.hostname.indexOf('wildcard-placeholder.') === 0) {
        var suffix = u.hostname.slice('wildcard-placeholder'.length);
        return o.hostname.length > suffix.length && o.hostname.slice(-suffix.length) === suffix;
      }
      return u.hostname === o.hostname;
    });
  }

  // ---- overlay -----------------------------------------------------------------------------
  var STYLE_ID = 'gg-capture-style';
  var CSS = [
    '.gg-capture{position:fixed;inset:0;z-index:2147483000;background:#000;color:#fff;font:16px/1.4 system-ui,sans-serif}',
    '.gg-capture video{position:absolute;inset:0;width:100%;height:100%;object-fit:contain}',
    '.gg-capture canvas.gg-draw{position:absolute;inset:0;width:100%;height:100%;pointer-events:none}',
    '.gg-capture .gg-guidance{position:absolute;left:50%;bottom:12%;transform:translateX(-50%);background:rgba(0,0,0,.65);padding:.6em 1.2em;border-radius:1.2em;font-size:1.15em;text-align:center;max-width:90%}',
    '.gg-capture .gg-cancel{position:absolute;top:1em;right:1em;font:inherit;color:#fff;background:rgba(0,0,0,.6);border:2px solid #fff;border-radius:1.5em;padding:.4em 1em;cursor:pointer}',
    '.gg-capture .gg-cancel:focus-visible{outline:3px solid #4da3ff;outline-offset:2px}',
    '.gg-sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}'
  ].join('\n');

  function Overlay(kind, msgs, onCancel) {
    if (!document.getElementById(STYLE_ID)) {
      var st = document.createElement('style');
      st.id = STYLE_ID;
      st.textContent = CSS;
      document.head.appendChild(st);
    }
    this.kind = kind;
    this.msgs = msgs;
    var root = this.root = document.createElement('div');
    root.className = 'gg-capture';
    root.setAttribute('role', 'dialog');
    root.setAttribute('aria-modal', 'true');
    root.setAttribute('aria-label', kind === 'selfie' ? 'Selfie capture' : 'Document capture');
    root.id = 'gg-capture-overlay';
    this.video = document.createElement('video');
    this.video.setAttribute('playsinline', '');
    this.video.muted = true;
    this.video.autoplay = true;
    if (kind === 'selfie') this.video.style.transform = 'scaleX(-1)';
    this.canvas = document.createElement('canvas');
    this.canvas.className = 'gg-draw';
    this.text = document.createElement('div');
    this.text.className = 'gg-guidance';
    this.text.id = 'gg-capture-guidance';
    this.text.setAttribute('aria-hidden', 'true');
    this.live = document.createElement('div');
    this.live.className = 'gg-sr';
    this.live.id = 'gg-capture-live';
    this.live.setAttribute('role', 'status');
    this.live.setAttribute('aria-live', 'polite');
    var btn = this.cancelButton = document.createElement('button');
    btn.type = 'button';
    btn.className = 'gg-cancel';
    btn.id = 'gg-capture-cancel';
    btn.textContent = msgs.cancel;
    btn.setAttribute('aria-label', msgs.cancel + ' capture');
    btn.addEventListener('click', onCancel);
    this.onKey = function (e) { if (e.key === 'Escape') onCancel(); };
    document.addEventListener('keydown', this.onKey);
    root.append(this.video, this.canvas, this.text, this.live, btn);
    document.body.appendChild(root);
    this.prevFocus = document.activeElement;
    btn.focus();
    this.lastKey = '';
    this.lastAnnounce = 0;
  }
  Overlay.prototype.say = function (key) {
    if (key === this.lastKey) return;
    this.lastKey = key;
    var msg = this.msgs[key] || key;
    this.text.textContent = msg;
    this.text.setAttribute('data-key', key);
    // Screen readers: announce changes, but not more than once a second.
    var now = performance.now();
    var live = this.live;
    var delay = Math.max(0, this.lastAnnounce + 1000 - now);
    this.lastAnnounce = now + delay;
    clearTimeout(this.announceTimer);
    this.announceTimer = setTimeout(function () { live.textContent = msg; }, delay);
  };
  // draw paints the guide (card outline or face oval, dimming outside it) and the detected quad.
  Overlay.prototype.draw = function (fw, fh, quad, good, progress, oval) {
    var cv = this.canvas;
    var dpr = window.devicePixelRatio || 1;
    var W = Math.round(cv.clientWidth * dpr), H = Math.round(cv.clientHeight * dpr);
    if (!W || !H) return;
    if (cv.width !== W || cv.height !== H) { cv.width = W; cv.height = H; }
    var g = cv.getContext('2d');
    g.clearRect(0, 0, W, H);
    // object-fit: contain mapping from frame pixels to canvas pixels
    var s = Math.min(W / fw, H / fh), ox = (W - fw * s) / 2, oy = (H - fh * s) / 2;
    var mirror = this.kind === 'selfie';
    function X(x) { return mirror ? ox + (fw - x) * s : ox + x * s; }
    function Y(y) { return oy + y * s; }
    g.save();
    g.fillStyle = 'rgba(0,0,0,0.45)';
    g.beginPath();
    g.rect(0, 0, W, H);
    var aspect = this.kind === 'passport' ? 1.42 : 1.586;
    var gw, gh, cx = W / 2, cy = H / 2;
    if (this.kind === 'selfie') {
      gh = Math.min(fh * s * (oval || 0.55), H * 0.95); gw = gh * 0.75;
      g.ellipse(cx, cy, gw / 2, gh / 2, 0, 0, Math.PI * 2, true);
    } else {
      gw = Math.min(fw * s * 0.85, W * 0.9); gh = gw / aspect;
      if (gh > H * 0.8) { gh = H * 0.8; gw = gh * aspect; }
      var r = gh * 0.06;
      g.moveTo(cx - gw / 2 + r, cy - gh / 2);
      g.arcTo(cx - gw / 2, cy - gh / 2, cx - gw / 2, cy + gh / 2, r);
      g.arcTo(cx - gw / 2, cy + gh / 2, cx + gw / 2, cy + gh / 2, r);
      g.arcTo(cx + gw / 2, cy + gh / 2, cx + gw / 2, cy - gh / 2, r);
      g.arcTo(cx + gw / 2, cy - gh / 2, cx - gw / 2, cy - gh / 2, r);
      g.closePath();
    }
    g.fill('evenodd');
    g.lineWidth = 3 * dpr;
    g.strokeStyle = good ? '#35d07f' : '#ffffff';
    g.stroke();
    g.restore();
    if (quad) {
      g.beginPath();
      for (var i = 0; i < 4; i++) {
        var px = X(quad[2 * i]), py = Y(quad[2 * i + 1]);
        if (i === 0) g.moveTo(px, py); else g.lineTo(px, py);
      }
      g.closePath();
      g.lineWidth = 4 * dpr;
      g.strokeStyle = good ? '#35d07f' : '#ffb020';
      g.stroke();
    }
    if (progress > 0) {
      g.fillStyle = '#35d07f';
      g.fillRect(cx - gw / 2, cy + gh / 2 + 10 * dpr, gw * Math.min(1, progress), 6 * dpr);
    }
  };
  Overlay.prototype.remove = function () {
    clearTimeout(this.announceTimer);
    document.removeEventListener('keydown', this.onKey);
    try { this.video.pause(); } catch (e) { /* ignore */ }
    this.video.srcObject = null;
    if (this.root.parentNode) this.root.parentNode.removeChild(this.root);
    if (this.prevFocus && typeof this.prevFocus.focus === 'function') {
      try { this.prevFocus.focus(); } catch (e) { /* ignore */ }
    }
  };

  // ---- frame sources -----------------------------------------------------------------------
  // A FrameSource puts one frame's luma into the core's reused frame buffer (grab), can keep the
  // current frame at full resolution when the core says it is the best so far (keep), and hands
  // the kept frame back as RGBA for the snap (snapshot). ask asks for the next frame and next
  // waits for it (with the count of frames the video has presented). Exactly one frame is in flight.
  function memView(core, ptr, n) { return new Uint8Array(core.memory.buffer, ptr, n); }

  // The frames come from the camera's track through a MediaStreamTrackProcessor where the browser
  // has one (feed 'track'): it queues the frames that arrive while the core is busy with a slow
  // one, so every frame is analysed. Elsewhere each frame is taken from the video element when
  // it presents one (feed 'video'): a frame presented while the core is busy is then taken
  // next, but of two such frames the first is lost.
  function VideoFrameSource(core, video) {
    this.core = core; this.video = video; this.kept = null; this.current = null; this.name = 'videoframe';
    this.feed = 'video'; this.reader = null; this.reading = null; this.queued = null; this.closed = false; this.presented = null;
    this.standIns = 0; // frames taken from the video while the track delivered none
    this.base = Infinity; // performance.now() minus the frames' capture timestamp (ms), least seen
    var stream = video.srcObject, track = stream && stream.getVideoTracks ? stream.getVideoTracks()[0] : null;
    if (track && typeof window.MediaStreamTrackProcessor === 'function') {
      try {
        // Three frames (100 ms at 30 fps) absorb a slow frame; older ones are dropped, so the
        // guidance never lags further behind the camera.
        this.reader = new window.MediaStreamTrackProcessor({ track: track, maxBufferSize: 3 }).readable.getReader();
        this.feed = 'track';
      } catch (e) { this.reader = null; }
    }
  }
  VideoFrameSource.supported = function () {
    return typeof window.VideoFrame === 'function' && typeof HTMLVideoElement.prototype.requestVideoFrameCallback === 'function';
  };
  // copyInto copies a VideoFrame into a core buffer. The view is made right before the copy; if
  // Go's memory grew meanwhile (detaching the view) the copy is tried once more.
  async function copyInto(core, vf, slot, opts) {
    var n = vf.allocationSize(opts);
    var ptr = core.buffer(slot, n);
    var layout;
    try {
      layout = await vf.copyTo(memView(core, ptr, n), opts);
    } catch (e) {
      if (!(e instanceof TypeError)) throw e;
      ptr = core.buffer(slot, n);
      layout = await vf.copyTo(memView(core, ptr, n), opts);
    }
    layout.ptr = ptr;
    layout.size = n;
    return layout;
  }
  var LIMITED_TO_FULL = new Uint8Array(256);
  for (var li = 0; li < 256; li++) LIMITED_TO_FULL[li] = Math.max(0, Math.min(255, Math.round((li - 16) * 255 / 219)));
  function limitedToFull(buf, plane, w, h) {
    var lut = LIMITED_TO_FULL;
    for (var y = 0; y < h; y++) {
      var o = plane.offset + y * plane.stride, end = o + w;
      for (var i = o; i < end; i++) buf[i] = lut[buf[i]];
    }
  }
  // ask asks for the next frame as soon as this one is grabbed (see nextFrame); next resolves
  // when it is ready. From the track, ask starts the read and next waits for it: if the camera
  // gives nothing for 250 ms of waiting (a stalled track) the read stays outstanding and the
  // video's current frame stands in, so that the core still sees the time pass. The 250 ms
  // start when the session waits, not when it asks: the analysis of a slow frame in between
  // holds up the delivery of the frames that arrived meanwhile.
  // askVideo and nextVideo: the next frame the video presents (the sources that read the video
  // element, and the VideoFrame source without a track reader).
  function askVideo() { this.presented = nextFrame(this.video); }
  function nextVideo() { var p = this.presented; this.presented = null; return p; }
  VideoFrameSource.prototype.ask = function () {
    if (!this.reader) { askVideo.call(this); return; }
    if (this.reading || this.queued) return;
    var self = this;
    this.reading = this.reader.read().then(function (r) {
      self.reading = null;
      if (r.done) { self.reader = null; return; } // the track ended: the session ends too
      if (self.closed) { r.value.close(); return; }
      self.queued = r.value;
      // The capture clock: a frame arrives some time after it was taken, the least of
      // these delays is taken as the offset between the two clocks.
      self.base = Math.min(self.base, performance.now() - r.value.timestamp / 1000);
    }, function () { self.reading = null; self.reader = null; });
  };
  VideoFrameSource.prototype.next = function () {
    var video = this.video, reading = this.reading;
    if (this.presented) return nextVideo.call(this);
    if (!reading) return Promise.resolve(shownFrames(video));
    return new Promise(function (resolve) {
      var t = setTimeout(function () { resolve(null); }, 250);
      reading.then(function () { clearTimeout(t); resolve(shownFrames(video)); });
    });
  };
  VideoFrameSource.prototype.grab = async function () {
    var vf = this.queued, at;
    this.queued = null;
    // at: when the frame was taken, on performance.now()'s clock (a frame that waited in the
    // queue was taken before it is analysed)
    if (vf) at = vf.timestamp / 1000 + this.base;
    else {
      if (this.reader) this.standIns++;
      at = performance.now();
      vf = new VideoFrame(this.video, { timestamp: Math.round(at * 1000) });
    }
    if ((vf.rotation || 0) % 360 !== 0 || vf.flip) {
      // A camera that leaves its frames in the sensor's orientation and says how to turn them
      // for display: copyTo gives the pixels unturned, not as the video shows them. The
      // sources that draw the video element get them as shown.
      var how = 'rotated ' + vf.rotation + '°' + (vf.flip ? ', mirrored' : '');
      vf.close();
      throw new SourceUnfit('VideoFrame (' + this.feed + ' feed): the camera frames are ' + how);
    }
    try {
      var layout = await copyInto(this.core, vf, 0, undefined);
      var r = vf.visibleRect || { width: vf.displayWidth, height: vf.displayHeight };
      var fmt = vf.format;
      var yuv = fmt === 'I420' || fmt === 'NV12' || fmt === 'I420A';
      if (yuv && !(vf.colorSpace && vf.colorSpace.fullRange)) {
        // BT.601/709 limited range (16..235) to full range, in place. V8 does this about twice as
        // fast as Go's WebAssembly, so the core gets full-range luma.
        limitedToFull(memView(this.core, layout.ptr, layout.size), layout[0], r.width, r.height);
      }
      this.current = vf;
      vf = null;
      // The chroma planes came along in the same copy: the core uses them to see edges that
      // differ in hue but not in brightness (a coloured band on a table of its own luma).
      var u = 0, v = 0, cs = 0;
      if ((fmt === 'I420' || fmt === 'I420A') && layout[1] && layout[2] && layout[1].stride === layout[2].stride) {
        u = layout[1].offset; v = layout[2].offset; cs = layout[1].stride;
      } else if (fmt === 'NV12' && layout[1]) {
        u = layout[1].offset; v = layout[1].offset + 1; cs = layout[1].stride;
      }
      return { format: fmt, width: r.width, height: r.height, offset: layout[0].offset, stride: layout[0].stride,
        fullWidth: r.width, fullHeight: r.height, uOffset: u, vOffset: v, cStride: cs, at: at };
    } finally { if (vf) vf.close(); }
  };
  VideoFrameSource.prototype.release = function (keep) {
    if (keep) { if (this.kept) this.kept.close(); this.kept = this.current; } else if (this.current) { this.current.close(); }
    this.current = null;
  };
  VideoFrameSource.prototype.snapshot = async function () {
    var vf = this.kept;
    if (!vf) throw new Error('no frame kept');
    var w = vf.visibleRect.width, h = vf.visibleRect.height;
    var layout;
    try { layout = await copyInto(this.core, vf, 1, { format: 'RGBA' }); } catch (e) { return canvasSnapshot(this.core, vf, w, h); }
    return { width: w, height: h, stride: layout[0].stride, offset: layout[0].offset };
  };
  VideoFrameSource.prototype.close = function () {
    this.closed = true;
    if (this.current) this.current.close();
    if (this.kept) this.kept.close();
    if (this.queued) this.queued.close();
    this.current = this.kept = this.queued = null;
    // Cancelling the reader ends the processor, not the track: another source can take it over.
    if (this.reader) { var r = this.reader; this.reader = null; r.cancel().catch(function () { /* ended already */ }); }
  };

  function canvasSnapshot(core, src, w, h) {
    var c = document.createElement('canvas');
    c.width = w; c.height = h;
    var g = c.getContext('2d', { willReadFrequently: true });
    g.drawImage(src, 0, 0, w, h);
    var data = g.getImageData(0, 0, w, h).data;
    var ptr = core.buffer(1, data.length);
    memView(core, ptr, data.length).set(data);
    c.width = c.height = 0;
    return { width: w, height: h, stride: w * 4, offset: 0 };
  }

  // KeepCanvas keeps a full-resolution copy of the video frame for sources that have no frame object.
  function KeepCanvas(video) { this.video = video; this.canvas = null; }
  KeepCanvas.prototype.keep = function () {
    var w = this.video.videoWidth, h = this.video.videoHeight;
    if (!this.canvas) { this.canvas = document.createElement('canvas'); }
    if (this.canvas.width !== w || this.canvas.height !== h) { this.canvas.width = w; this.canvas.height = h; }
    this.canvas.getContext('2d', { willReadFrequently: true }).drawImage(this.video, 0, 0, w, h);
  };
  KeepCanvas.prototype.snapshot = function (core) {
    if (!this.canvas) throw new Error('no frame kept');
    var w = this.canvas.width, h = this.canvas.height;
    var data = this.canvas.getContext('2d', { willReadFrequently: true }).getImageData(0, 0, w, h).data;
    var ptr = core.buffer(1, data.length);
    memView(core, ptr, data.length).set(data);
    return { width: w, height: h, stride: w * 4, offset: 0 };
  };
  KeepCanvas.prototype.close = function () { if (this.canvas) { this.canvas.width = this.canvas.height = 0; this.canvas = null; } };

  function analysisSize(video, maxW) {
    var vw = video.videoWidth, vh = video.videoHeight;
    var s = Math.min(1, maxW / Math.max(vw, vh));
    return [Math.max(4, Math.round(vw * s / 4) * 4), Math.max(2, Math.round(vh * s))];
  }

  function CanvasSource(core, video) {
    this.core = core; this.video = video; this.name = 'canvas';
    this.canvas = document.createElement('canvas');
    this.ctx = this.canvas.getContext('2d', { willReadFrequently: true });
    this.keeper = new KeepCanvas(video);
  }
  CanvasSource.supported = function () { return true; };
  CanvasSource.prototype.grab = async function () {
    var sz = analysisSize(this.video, 640), w = sz[0], h = sz[1];
    if (this.canvas.width !== w || this.canvas.height !== h) { this.canvas.width = w; this.canvas.height = h; }
    this.ctx.drawImage(this.video, 0, 0, w, h);
    var data = this.ctx.getImageData(0, 0, w, h).data;
    var ptr = this.core.buffer(0, data.length);
    memView(this.core, ptr, data.length).set(data);
    return { format: 'RGBA', width: w, height: h, offset: 0, stride: w * 4,
      fullWidth: this.video.videoWidth, fullHeight: this.video.videoHeight };
  };
  CanvasSource.prototype.release = function (keep) { if (keep) this.keeper.keep(); };
  CanvasSource.prototype.snapshot = async function () { return this.keeper.snapshot(this.core); };
  CanvasSource.prototype.close = function () { this.keeper.close(); this.canvas.width = this.canvas.height = 0; };

  // WebGLSource: the video frame becomes a texture; a fragment shader writes downscaled luma, four
  // pixels per RGBA8 texel, so the read-back (pixel-pack buffer + fence, no pipeline stall) is
  // exactly width*height bytes of luma in row order, followed by the chroma pass's NV12 plane.
  var VS = '#version 300 es\nlayout(location=0) in vec2 p;void main(){gl_Position=vec4(p,0.0,1.0);}';
  var FS = '#version 300 es\nprecision highp float;uniform sampler2D t;uniform vec2 n;out vec4 o;' +
    'float l(float x,float y){return dot(texture(t,vec2(x/n.x,y/n.y)).rgb,vec3(0.299,0.587,0.114));}' +
    'void main(){float x=floor(gl_FragCoord.x)*4.0;float y=gl_FragCoord.y;' +
    'o=vec4(l(x+0.5,y),l(x+1.5,y),l(x+2.5,y),l(x+3.5,y));}';
  // The chroma pass writes BT.601 Cb and Cr at half resolution in NV12 order: each RGBA texel
  // holds (Cb, Cr) of two 2x2 blocks, so the read-back rows are the interleaved chroma plane
  // that follows the luma plane. The core detects edges and judges glare from it as well.
  var FSC = '#version 300 es\nprecision highp float;uniform sampler2D t;uniform vec2 n;out vec4 o;' +
    'vec2 c(float x,float y){vec3 v=texture(t,vec2(x/n.x,y/n.y)).rgb;' +
    'return vec2(0.5-0.168736*v.r-0.331264*v.g+0.5*v.b,0.5+0.5*v.r-0.418688*v.g-0.081312*v.b);}' +
    'void main(){float x=floor(gl_FragCoord.x)*4.0;float y=floor(gl_FragCoord.y)*2.0+1.0;' +
    'vec2 a=c(x+1.0,y);vec2 b=c(x+3.0,y);o=vec4(a.x,a.y,b.x,b.y);}';
  function WebGLSource(core, video) {
    this.core = core; this.video = video; this.name = 'webgl';
    this.keeper = new KeepCanvas(video);
    var c = this.canvas = document.createElement('canvas');
    var gl = this.gl = c.getContext('webgl2', { antialias: false, depth: false, stencil: false, alpha: false, preserveDrawingBuffer: false });
    if (!gl) throw new Error('webgl2 unavailable');
    function sh(type, src) {
      var s = gl.createShader(type); gl.shaderSource(s, src); gl.compileShader(s);
      if (!gl.getShaderParameter(s, gl.COMPILE_STATUS)) throw new Error(gl.getShaderInfoLog(s));
      return s;
    }
    function link(fs) {
      var pr = gl.createProgram();
      gl.attachShader(pr, sh(gl.VERTEX_SHADER, VS));
      gl.attachShader(pr, sh(gl.FRAGMENT_SHADER, fs));
      gl.linkProgram(pr);
      if (!gl.getProgramParameter(pr, gl.LINK_STATUS)) throw new Error(gl.getProgramInfoLog(pr));
      return pr;
    }
    var prog = this.prog = link(FS);
    this.progC = link(FSC);
    this.uNC = gl.getUniformLocation(this.progC, 'n');
    gl.useProgram(prog);
    var vb = gl.createBuffer();
    gl.bindBuffer(gl.ARRAY_BUFFER, vb);
    gl.bufferData(gl.ARRAY_BUFFER, new Float32Array([-1, -1, 1, -1, -1, 1, 1, 1]), gl.STATIC_DRAW);
    var loc = gl.getAttribLocation(prog, 'p');
    gl.enableVertexAttribArray(loc);
    gl.vertexAttribPointer(loc, 2, gl.FLOAT, false, 0, 0);
    this.tex = gl.createTexture();
    gl.bindTexture(gl.TEXTURE_2D, this.tex);
    gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_MIN_FILTER, gl.LINEAR);
    gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_MAG_FILTER, gl.LINEAR);
    gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_WRAP_S, gl.CLAMP_TO_EDGE);
    gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_WRAP_T, gl.CLAMP_TO_EDGE);
    this.out = gl.createTexture();
    this.fbo = gl.createFramebuffer();
    this.outC = gl.createTexture();
    this.fboC = gl.createFramebuffer();
    this.pbo = gl.createBuffer();
    this.uN = gl.getUniformLocation(prog, 'n');
    this.w = this.h = 0;
  }
  WebGLSource.supported = function () {
    try { return !!document.createElement('canvas').getContext('webgl2'); } catch (e) { return false; }
  };
  WebGLSource.prototype.grab = async function () {
    var gl = this.gl, sz = analysisSize(this.video, 640), w = sz[0], h = sz[1];
    if (w !== this.w || h !== this.h) {
      this.w = w; this.h = h;
      gl.bindTexture(gl.TEXTURE_2D, this.out);
      gl.texImage2D(gl.TEXTURE_2D, 0, gl.RGBA8, w / 4, h, 0, gl.RGBA, gl.UNSIGNED_BYTE, null);
      gl.bindFramebuffer(gl.FRAMEBUFFER, this.fbo);
      gl.framebufferTexture2D(gl.FRAMEBUFFER, gl.COLOR_ATTACHMENT0, gl.TEXTURE_2D, this.out, 0);
      this.hc = Math.ceil(h / 2);
      gl.bindTexture(gl.TEXTURE_2D, this.outC);
      gl.texImage2D(gl.TEXTURE_2D, 0, gl.RGBA8, w / 4, this.hc, 0, gl.RGBA, gl.UNSIGNED_BYTE, null);
      gl.bindFramebuffer(gl.FRAMEBUFFER, this.fboC);
      gl.framebufferTexture2D(gl.FRAMEBUFFER, gl.COLOR_ATTACHMENT0, gl.TEXTURE_2D, this.outC, 0);
      gl.bindBuffer(gl.PIXEL_PACK_BUFFER, this.pbo);
      gl.bufferData(gl.PIXEL_PACK_BUFFER, w * h + w * this.hc, gl.STREAM_READ);
    }
    gl.bindFramebuffer(gl.FRAMEBUFFER, this.fbo);
    gl.viewport(0, 0, w / 4, h);
    gl.activeTexture(gl.TEXTURE0);
    gl.bindTexture(gl.TEXTURE_2D, this.tex);
    gl.texImage2D(gl.TEXTURE_2D, 0, gl.RGBA, gl.RGBA, gl.UNSIGNED_BYTE, this.video);
    gl.useProgram(this.prog);
    gl.uniform2f(this.uN, w, h);
    gl.drawArrays(gl.TRIANGLE_STRIP, 0, 4);
    gl.bindBuffer(gl.PIXEL_PACK_BUFFER, this.pbo);
    gl.readPixels(0, 0, w / 4, h, gl.RGBA, gl.UNSIGNED_BYTE, 0);
    gl.bindFramebuffer(gl.FRAMEBUFFER, this.fboC);
    gl.viewport(0, 0, w / 4, this.hc);
    gl.useProgram(this.progC);
    gl.uniform2f(this.uNC, w, h);
    gl.drawArrays(gl.TRIANGLE_STRIP, 0, 4);
    gl.readPixels(0, 0, w / 4, this.hc, gl.RGBA, gl.UNSIGNED_BYTE, w * h);
    var sync = gl.fenceSync(gl.SYNC_GPU_COMMANDS_COMPLETE, 0);
    gl.flush();
    try {
      for (;;) {
        var st = gl.clientWaitSync(sync, 0, 0);
        if (st === gl.WAIT_FAILED) throw new Error('webgl fence failed');
        if (st !== gl.TIMEOUT_EXPIRED) break;
        await new Promise(function (r) { setTimeout(r, 1); });
      }
    } finally { gl.deleteSync(sync); }
    var n = w * h + w * this.hc;
    var ptr = this.core.buffer(0, n);
    gl.getBufferSubData(gl.PIXEL_PACK_BUFFER, 0, memView(this.core, ptr, n));
    gl.bindBuffer(gl.PIXEL_PACK_BUFFER, null);
    return { format: 'NV12', width: w, height: h, offset: 0, stride: w,
      fullWidth: this.video.videoWidth, fullHeight: this.video.videoHeight,
      uOffset: w * h, vOffset: w * h + 1, cStride: w };
  };
  WebGLSource.prototype.release = function (keep) { if (keep) this.keeper.keep(); };
  WebGLSource.prototype.snapshot = async function () { return this.keeper.snapshot(this.core); };
  WebGLSource.prototype.close = function () {
    var gl = this.gl;
    this.keeper.close();
    gl.deleteTexture(this.tex); gl.deleteTexture(this.out); gl.deleteFramebuffer(this.fbo);
    gl.deleteTexture(this.outC); gl.deleteFramebuffer(this.fboC);
    gl.deleteBuffer(this.pbo); gl.deleteProgram(this.prog); gl.deleteProgram(this.progC);
    var ext = gl.getExtension('WEBGL_lose_context');
    if (ext) ext.loseContext();
  };

  // Burst records the selfie frames for the active liveness test: whole camera frames at one
  // fixed scale (960 px wide), JPEG, in memory only.
  function Burst() { this.frames = []; this.canvas = document.createElement('canvas'); }
  Burst.prototype.add = function (video) {
    var w = 960, h = Math.round(960 * video.videoHeight / Math.max(1, video.videoWidth));
    if (this.canvas.width !== w || this.canvas.height !== h) { this.canvas.width = w; this.canvas.height = h; }
    this.canvas.getContext('2d').drawImage(video, 0, 0, w, h);
    this.frames.push(this.canvas.toDataURL('image/jpeg', 0.85));
  };

  WebGLSource.prototype.ask = CanvasSource.prototype.ask = askVideo;
  WebGLSource.prototype.next = CanvasSource.prototype.next = nextVideo;
  var SOURCES = { videoframe: VideoFrameSource, webgl: WebGLSource, canvas: CanvasSource };
  // SourceUnfit: a frame source found on a frame that it cannot serve this camera.
  function SourceUnfit(message) { this.message = message; }
  function makeSource(name, core, video, skip) {
    var order = name && name !== 'auto' ? [name] : ['videoframe', 'webgl', 'canvas'];
    if (skip) order = order.slice(order.indexOf(skip) + 1);
    if (!order.length) throw new Error(name + ' cannot serve this camera');
    for (var i = 0; i < order.length; i++) {
      var S = SOURCES[order[i]];
      if (!S) continue;
      if (!S.supported()) { if (order.length === 1) throw new Error('frame source ' + name + ' not supported'); continue; }
      try { return new S(core, video); } catch (e) { if (order.length === 1) throw e; }
    }
    return new CanvasSource(core, video);
  }

  // ---- geolocation -------------------------------------------------------------------------
  function collectGeo(enabled, timeoutMs) {
    if (!enabled || !navigator.geolocation) return Promise.resolve(null);
    return new Promise(function (resolve) {
      var done = false;
      function none() { if (!done) { done = true; clearTimeout(t); resolve(null); } }
      var t = setTimeout(none, timeoutMs);
      function ask() {
        if (done) return;
        try {
          navigator.geolocation.getCurrentPosition(function (p) {
            if (done) return;
            done = true; clearTimeout(t);
            resolve({ latitude: p.coords.latitude, longitude: p.coords.longitude, accuracy: p.coords.accuracy });
          }, none, { enableHighAccuracy: true, timeout: timeoutMs, maximumAge: 60000 });
        } catch (e) { none(); }
      }
      // A location the user has refused is never collected. (Chromium 148
      // still answers getCurrentPosition from its cached fix, within
      // maximumAge, after the permission was revoked.)
      var q = null;
      try {
        if (navigator.permissions && navigator.permissions.query) q = navigator.permissions.query({ name: 'geolocation' });
      } catch (e) { q = null; }
      if (!q) { ask(); return; }
      q.then(function (st) { if (st && st.state === 'denied') none(); else ask(); }, ask);
    });
  }

  // ---- service -----------------------------------------------------------------------------
  var TOKEN_CODES = { 1008: 1, 1009: 1, 1010: 1, 1011: 1, 1012: 1 };
  async function callService(cfg, path, token, body, failCode) {
    var resp, data;
    try {
      resp = await fetch(cfg.serviceURL + path, {
        method: 'POST', mode: 'cors', credentials: 'omit', cache: 'no-store',
        headers: { 'Content-Type': 'application/json', 'token': token },
        body: JSON.stringify(body)
      });
    } catch (e) { throw new CaptureFailure(failCode, 'The service could not be reached.'); }
    try { data = await resp.json(); } catch (e) { data = null; }
    if (!resp.ok) {
      var code = data && data.ErrorCode;
      if (TOKEN_CODES[code]) throw new CaptureFailure(code, data.ErrorMessage || undefined);
      throw new CaptureFailure(failCode, (data && data.ErrorMessage) || ('The service answered HTTP ' + resp.status + '.'));
    }
    if (!data || typeof data !== 'object') throw new CaptureFailure(failCode, 'The service answered no data.');
    return data;
  }
  var CAPTURE_TYPES = { front: 'DOCUMENT_FRONT', back: 'DOCUMENT_BACK', passport: 'PASSPORT', selfie: 'SELFIE' };

  // ---- a capture session -------------------------------------------------------------------
  var active = null;
  var lastStats = null;
  var SEQ = 0;

  function deviceType() {
    var ua = navigator.userAgent || '';
    if (/iPad|Tablet/i.test(ua)) return 'tablet';
    if (/Mobi|Android|iPhone/i.test(ua)) return 'mobile';
    return 'desktop';
  }

  function Session(kind, isAuto, wantGeo, cb, token) {
    this.id = ++SEQ;
    this.kind = kind;
    this.isAuto = !!isAuto;
    this.wantGeo = !!wantGeo;
    this.cb = cb;
    this.token = token;
    this.cfg = config();
    this.done = false;
    this.stream = null;
    this.overlay = null;
    this.source = null;
    this.input = null;
    this.cleanups = [];
    this.t0 = performance.now();
    this.marks = {}; // ms since Start*: where the time to showImage goes (lastStats().marks)
  }
  Session.prototype.mark = function (name) { this.marks[name] = Math.round(performance.now() - this.t0); };
  Session.prototype.cleanup = function () {
    var i;
    for (i = 0; i < this.cleanups.length; i++) { try { this.cleanups[i](); } catch (e) { /* keep going */ } }
    this.cleanups = [];
    if (this.source) { try { this.source.close(); } catch (e) { /* ignore */ } this.source = null; }
    if (this.stream) { this.stream.getTracks().forEach(function (t) { try { t.stop(); } catch (e) { /* ignore */ } }); this.stream = null; }
    if (this.overlay) { this.overlay.remove(); this.overlay = null; }
    if (this.input && this.input.parentNode) this.input.parentNode.removeChild(this.input);
    this.input = null;
  };
  // finish releases everything, then fires exactly one of showImage/showError.
  Session.prototype.finish = function (err, result) {
    if (this.done) return;
    this.done = true;
    this.mark('finish');
    if (this.stats) { this.stats.marks = this.marks; lastStats = this.stats; }
    this.cleanup();
    if (active === this) active = null;
    var cb = this.cb;
    try {
      if (err) cb.showError(err); else cb.showImage(result);
    } catch (e) {
      setTimeout(function () { throw e; }, 0); // the integrator's callback threw: report, don't swallow
    }
  };
  Session.prototype.fail = function (e) {
    // A session already finished (cancelled, say, while its snap was being read) has had its one
    // callback; what its run hit afterwards is the teardown, not a failure to report.
    if (this.done) return;
    if (!(e instanceof CaptureFailure) && window.console) console.error('GlobalGateway capture failed:', e);
    if (e instanceof CaptureFailure) this.finish(sdkError(e.code, e.message));
    else this.finish(sdkError(1016, e && e.message ? e.message : String(e)));
  };
  Session.prototype.cancel = function () { this.finish(sdkError(1020)); };
  Session.prototype.started = function () {
    if (this.startedCalled) return;
    this.startedCalled = true;
    try { if (typeof this.cb.startProcess === 'function') this.cb.startProcess(); } catch (e) { setTimeout(function () { throw e; }, 0); }
  };
  Session.prototype.meta = function (geo, mode) {
    return { mode: mode, captureType: CAPTURE_TYPES[this.kind], deviceType: deviceType(),
      time: new Date().toISOString(), geo: geo || null };
  };
  Session.prototype.core = async function () {
    try {
      var core = await loadCore();
      if (this.kind === 'selfie') await loadCascades(core);
      return core;
    } catch (e) { throw new CaptureFailure(1000, 'The capture component failed to load: ' + (e && e.message || e)); }
  };

  Session.prototype.openCamera = async function () {
    var facing = this.kind === 'selfie' ? 'user' : 'environment';
    // A camera that delivers its frames upright (a phone held so) has no
    // landscape mode: the last try asks for 720x1280 or better that way up
    // (the capture then guides the user to turn the phone when the frame is
    // too narrow for the document).
    var tries = [
      { facingMode: { ideal: facing }, width: { ideal: 1920 }, height: { ideal: 1080 } },
      { facingMode: { ideal: facing }, width: { min: 1280 }, height: { min: 720 } },
      { facingMode: { ideal: facing }, width: { min: 720, ideal: 1080 }, height: { min: 1280, ideal: 1920 } }
    ];
    var lastErr = null;
    for (var i = 0; i < tries.length; i++) {
      var stream;
      try {
        stream = await navigator.mediaDevices.getUserMedia({ video: tries[i], audio: false });
      } catch (e) {
        lastErr = e;
        if (e && (e.name === 'NotAllowedError' || e.name === 'SecurityError')) throw new CaptureFailure(1015, 'Camera permission was denied.');
        if (e && (e.name === 'NotReadableError' || e.name === 'AbortError')) throw new CaptureFailure(1015, 'The camera could not be started.');
        continue;
      }
      if (this.done) { stream.getTracks().forEach(function (t) { t.stop(); }); return null; }
      var track = stream.getVideoTracks()[0];
      var s = track && track.getSettings ? track.getSettings() : {};
      var w = s.width || 0, h = s.height || 0;
      if (Math.max(w, h) >= 1280 && Math.min(w, h) >= 720) return stream;
      stream.getTracks().forEach(function (t) { t.stop(); });
    }
    if (lastErr && lastErr.name === 'NotFoundError') throw new CaptureFailure(1005, 'No camera was found.');
    throw new CaptureFailure(1005, 'The camera cannot deliver 1280x720.');
  };

  Session.prototype.runAuto = async function () {
    var self = this, cfg = this.cfg;
    var geoP = collectGeo(this.wantGeo, cfg.geoTimeoutMs);
    this.overlay = new Overlay(this.kind, cfg.messages, function () { self.cancel(); });
    this.overlay.say('starting');
    var corePromise = this.core();
    var stream = await this.openCamera();
    if (this.done || !stream) return;
    this.mark('camera');
    this.stream = stream;
    stream.getVideoTracks().forEach(function (t) {
      t.addEventListener('ended', function () { self.finish(sdkError(1015, 'The camera stopped.')); });
    });
    var core = await corePromise;
    if (this.done) return;
    this.mark('core');
    var video = this.overlay.video;
    video.srcObject = stream;
    try { await video.play(); } catch (e) { /* autoplay of muted video; wait for data below */ }
    await waitFor(function () { return self.done || (video.readyState >= 2 && video.videoWidth > 0); });
    if (this.done) return;
    var err = core.begin(this.kind, { timeoutMs: cfg.timeoutMs, thresholds: cfg.thresholds });
    if (err) throw new CaptureFailure(1000, err);
    try { this.source = makeSource(cfg.frameSource, core, video); } catch (e) { throw new CaptureFailure(1019, 'Frame source: ' + e.message); }
    // Any call into Go may grow its memory and detach earlier views: take the
    // address first, then the view over the current buffer.
    var outPtr = core.out();
    var keys = core.guidanceKeys;
    var t0 = performance.now();
    this.mark('video');
    this.stats = { source: this.source.name, feed: this.source.feed || 'video', t0: t0, frames: 0, grabMs: [], analyzeMs: [], trace: [], firstShown: null, lastShown: null };
    this.burst = this.kind === 'selfie' ? new Burst() : null;
    var snapped = false, lastTs = 0;
    // The next frame is asked for as soon as this one is grabbed, not after
    // it is analysed: a frame the camera presents while the core is busy is
    // then taken next instead of being skipped for the one after it.
    this.source.ask();
    while (!this.done && !snapped) {
      var shown = await this.source.next();
      if (this.done) return;
      var g0 = performance.now();
      var f;
      try { f = await this.source.grab(); } catch (e) {
        if (!(e instanceof SourceUnfit)) throw e;
        if (this.done) return; // (finish closed the source)
        // The next source in the order takes over (a forced source has none: 1019).
        var unfit = this.source.name;
        this.source.close();
        this.source = null;
        try { this.source = makeSource(cfg.frameSource, core, video, unfit); } catch (e2) {
          throw new CaptureFailure(1019, 'Frame source: ' + e.message + '; ' + e2.message);
        }
        this.stats.source = this.source.name;
        this.stats.feed = this.source.feed || 'video';
        this.stats.unfit = e.message;
        this.source.ask();
        continue;
      }
      if (this.done) return;
      this.source.ask();
      var g1 = performance.now();
      // The core's clock (steady window, timeout): when the frame was taken where the source
      // knows it, else now; never backwards (the core takes that as a break in the video).
      var ts = Math.max(lastTs, Math.min(g1, isFinite(f.at) ? f.at : g1) - t0);
      lastTs = ts;
      core.frame(f.format, f.width, f.height, f.offset, f.stride, f.fullWidth, f.fullHeight, ts,
          f.uOffset || 0, f.vOffset || 0, f.cStride || 0);
      var g2 = performance.now();
      var out = new Float64Array(core.memory.buffer, outPtr, 24);
      var flags = out[0];
      this.stats.frames++;
      if (this.source.standIns) this.stats.standIns = this.source.standIns;
      if (!this.stats.firstMs) this.stats.firstMs = g0;
      this.stats.lastMs = g2;
      if (shown !== null) { // the camera's frame count, to tell analysed from delivered frames
        if (this.stats.firstShown === null) this.stats.firstShown = shown;
        this.stats.lastShown = shown;
      }
      if (this.stats.grabMs.length < 2000) {
        this.stats.grabMs.push(g1 - g0); this.stats.analyzeMs.push(g2 - g1);
        this.stats.trace.push([Math.round(g1 - t0), out[0], keys[out[1]], Math.round(out[3]), Math.round(out[4]), Math.round(out[7]), Math.round(out[8]),
          Math.round(out[11]), Math.round(ts * 10) / 10, shown]);
      }
      this.source.release((flags & 2) !== 0);
      var key = keys[out[1]] || 'no_document';
      var quad = (flags & 1) ? [out[3], out[4], out[5], out[6], out[7], out[8], out[9], out[10]] : null;
      this.overlay.say(key);
      this.overlay.draw(f.fullWidth, f.fullHeight, quad, key === 'hold_steady' || key === 'capturing' || key === 'hold_still', out[2], out[17]);
      if ((flags & 16) && this.burst) this.burst.add(video);
      if (flags & 8) throw new CaptureFailure(1006, 'Auto capture timed out: ' + (cfg.messages[key] || key) + '.');
      if (flags & 4) snapped = true;
    }
    this.mark('snap');
    this.overlay.say('processing');
    this.started();
    if (this.done) return; // startProcess may cancel
    var snap = await this.source.snapshot();
    if (this.done) return;
    this.mark('snapshot');
    // The camera is no longer needed: release it before the network round trip.
    if (this.stream) { this.stream.getTracks().forEach(function (t) { t.stop(); }); }
    var geo = await geoP;
    if (this.done) return;
    var res = core.snap(snap.offset, snap.width, snap.height, snap.stride, this.meta(geo, 'auto'));
    this.mark('encoded');
    this.source.close(); this.source = null;
    if (res && !res.error && this.burst) { res.frames = this.burst.frames; this.burst = null; }
    await this.deliver(res, geo);
  };

  Session.prototype.runManual = async function () {
    var self = this, cfg = this.cfg;
    var geoP = collectGeo(this.wantGeo, cfg.geoTimeoutMs);
    var input = this.input = document.createElement('input');
    input.type = 'file';
    input.accept = 'image/jpeg,image/png,image/webp,image/*';
    input.setAttribute('capture', this.kind === 'selfie' ? 'user' : 'environment');
    input.id = 'gg-capture-file';
    input.style.cssText = 'position:fixed;left:-10000px;top:0;width:1px;height:1px;opacity:0';
    input.setAttribute('aria-hidden', 'true');
    document.body.appendChild(input);
    var corePromise = this.core();
    corePromise.catch(function () { /* reported when awaited */ });
    var file = await new Promise(function (resolve) {
      input.addEventListener('change', function () { resolve(input.files && input.files[0] || null); });
      input.addEventListener('cancel', function () { resolve(null); });
      self.cleanups.push(function () { resolve(null); });
      try { input.click(); } catch (e) { /* the page can still set the file */ }
    });
    if (this.done) return;
    if (!file) throw new CaptureFailure(1020, 'No file was chosen.');
    if (file.size > cfg.maxFileBytes) throw new CaptureFailure(1004);
    if (file.type && !/^image\/(jpeg|png|webp)$/.test(file.type)) throw new CaptureFailure(1003);
    this.started();
    if (this.done) return; // startProcess may cancel
    var bytes;
    try { bytes = new Uint8Array(await file.arrayBuffer()); } catch (e) { throw new CaptureFailure(1007, 'The file could not be read.'); }
    var core = await corePromise;
    if (this.done) return;
    var geo = await geoP;
    if (this.done) return;
    var res = core.file(bytes, this.kind, this.meta(geo, 'manual'), cfg.maxFileBytes);
    bytes = null;
    await this.deliver(res, geo);
  };

  // deliver turns the core's answer into the result object, asking the service for the
  // classification (documents) or the liveness assessment (selfies).
  Session.prototype.deliver = async function (res, geo) {
    if (this.done) return;
    if (!res || res.error) {
      var e = res && res.error;
      throw new CaptureFailure(e && e.code || 1016, e && e.message);
    }
    if (this.kind === 'selfie') {
      var body = { image: res.image };
      if (res.frames && res.frames.length) body.frames = res.frames;
      var live = await callService(this.cfg, '/v1/liveness-check', this.token, body, 1013);
      if (this.done) return;
      this.finish(null, { image: res.image, liveness: pick(live, ['LivenessResult', 'ErrorCode', 'ErrorMessage']), geo: geo });
      return;
    }
    var cls = await callService(this.cfg, '/v1/classification', this.token,
      { image: res.image, isFrontImage: this.kind !== 'back', captureType: CAPTURE_TYPES[this.kind] }, 1014);
    if (this.done) return;
    this.finish(null, { image: res.image, quality: res.quality, classification: cls, geo: geo });
  };
  function pick(o, keys) {
    var r = {};
    keys.forEach(function (k) { r[k] = o[k] === undefined ? null : o[k]; });
    Object.keys(o).forEach(function (k) { if (!(k in r)) r[k] = o[k]; });
    return r;
  }

  // nextFrame resolves when the video presents a new frame, with the count of
  // frames it has presented (null where the browser does not say).
  function nextFrame(video) {
    return new Promise(function (resolve) {
      if (typeof video.requestVideoFrameCallback === 'function') {
        var done = false;
        video.requestVideoFrameCallback(function (now, meta) {
          if (!done) { done = true; resolve(meta && typeof meta.presentedFrames === 'number' ? meta.presentedFrames : null); }
        });
        // A paused or stalled video delivers no callback: fall back to a timer so the
        // session can still notice cancel, timeout or camera loss.
        setTimeout(function () { if (!done) { done = true; resolve(null); } }, 250);
      } else {
        requestAnimationFrame(function () { resolve(null); });
      }
    });
  }
  // shownFrames is the count of frames the video has presented (null where the browser does not say).
  function shownFrames(video) {
    var q = video.getVideoPlaybackQuality ? video.getVideoPlaybackQuality() : null;
    return q && typeof q.totalVideoFrames === 'number' ? q.totalVideoFrames : null;
  }
  function waitFor(cond) {
    return new Promise(function (resolve) {
      (function poll() { if (cond()) resolve(); else setTimeout(poll, 20); })();
    });
  }

  function start(kind, args) {
    var isAuto = args[0], wantGeo = args[1];
    var cb = { startProcess: args[2], showImage: args[3], showError: args[4] };
    var token = args[5];
    if (typeof cb.showImage !== 'function' || typeof cb.showError !== 'function') {
      throw new TypeError('GlobalGateway capture: showImage and showError must be functions');
    }
    function async(fn) { Promise.resolve().then(fn); }
    if (active) { async(function () { cb.showError(sdkError(1021)); }); return; }
    var bp = browserProblem(!!isAuto);
    if (bp) { async(function () { cb.showError(sdkError(bp)); }); return; }
    var tp = tokenProblem(token);
    if (tp) { async(function () { cb.showError(sdkError(tp[0], tp[1])); }); return; }
    var s = new Session(kind, isAuto, wantGeo, cb, token);
    active = s;
    var run = s.isAuto ? s.runAuto() : s.runManual();
    run.then(function () {
      if (!s.done) s.fail(new Error('capture ended without a result'));
    }, function (e) { s.fail(e); });
  }

  window.StartFrontDocumentCapture = function () { return start('front', arguments); };
  window.StartBackDocumentCapture = function () { return start('back', arguments); };
  window.StartPassportCapture = function () { return start('passport', arguments); };
  window.StartSelfieCapture = function () { return start('selfie', arguments); };
  // Extras for integrators: version, an explicit preload, and the last session's frame statistics.
  window.GlobalGatewayCapture = {
    version: SDK_VERSION,
    preload: function (opts) {
      return loadCore().then(function (core) { return opts && opts.selfie ? loadCascades(core) : undefined; });
    },
    lastStats: function () { return lastStats; },
    cancel: function () { if (active) active.cancel(); }
  };
})();
