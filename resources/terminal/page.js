// The terminal's page: xterm.js bridged to the app (desktop/ui/terminal/bridge.py).
// Output arrives in batches on bridge.output; each batch is acknowledged once
// xterm.js has parsed it, so the app never has more than a bounded amount in
// flight. Keys, pastes and mouse reports go back as they come.
"use strict";
(function () {
  const state = { term: null, fit: null, bridge: null };

  function fitSoon() {
    clearTimeout(state.fitTimer);
    state.fitTimer = setTimeout(() => { try { state.fit.fit(); } catch (e) { /* hidden: no size */ } }, 30);
  }

  function keys(event) {
    // Ctrl+Shift+C / Ctrl+Shift+V copy and paste; everything else is the program's.
    if (event.type !== "keydown" || !event.ctrlKey || !event.shiftKey || event.altKey) return true;
    if (event.code === "KeyC") {
      event.preventDefault();
      if (state.term.hasSelection()) state.bridge.copy(state.term.getSelection());
      return false;
    }
    if (event.code === "KeyV") {
      event.preventDefault();  // else Chromium pastes the clipboard a second time
      state.bridge.paste_requested();
      return false;
    }
    return true;
  }

  function start(channel) {
    const bridge = channel.objects.bridge;
    const options = JSON.parse(bridge.options);
    const term = new Terminal({
      fontFamily: options.fontFamily, fontSize: options.fontSize, theme: options.theme,
      scrollback: 10000, cursorBlink: true, allowProposedApi: true, macOptionIsMeta: true,
      rightClickSelectsWord: true, drawBoldTextInBrightColors: false,
      // Hyperlinks a program prints (OSC 8) go the same way as plain ones: to the app,
      // which shows the target first; never xterm.js's own confirm() and window.open.
      linkHandler: { activate: (event, uri) => bridge.link_clicked(uri), allowNonHttpProtocols: false },
    });
    const fit = new FitAddon.FitAddon();
    Object.assign(state, { term, fit, bridge });
    term.loadAddon(fit);
    term.loadAddon(new Unicode11Addon.Unicode11Addon());
    term.unicode.activeVersion = "11";
    // Links open only after the app has shown their target and the person agreed.
    term.loadAddon(new WebLinksAddon.WebLinksAddon((event, uri) => bridge.link_clicked(uri)));
    term.open(document.getElementById("terminal"));
    if (options.webgl) {
      try {
        const webgl = new WebglAddon.WebglAddon();
        webgl.onContextLoss(() => webgl.dispose());
        term.loadAddon(webgl);
      } catch (error) { /* no WebGL here: the DOM renderer draws */ }
    }
    term.attachCustomKeyEventHandler(keys);
    term.onData((data) => bridge.typed(data));
    term.onBinary((data) => bridge.typed_binary(data));
    term.onResize((size) => bridge.resized(size.rows, size.cols));
    bridge.output.connect((text) => term.write(text, () => bridge.written(text.length)));
    bridge.restyled.connect((json) => {
      const style = JSON.parse(json);
      term.options.theme = style.theme;
      term.options.fontFamily = style.fontFamily;
      term.options.fontSize = style.fontSize;
      document.body.style.background = style.theme.background;
      fitSoon();
    });
    document.body.style.background = options.theme.background;
    new ResizeObserver(fitSoon).observe(document.getElementById("terminal"));
    try { fit.fit(); } catch (e) { /* not laid out yet */ }
    term.focus();
    bridge.loaded(term.rows, term.cols);
  }

  // For the app's own use (paste, focus) and its tests and benchmark.
  window.aicode = {
    paste: (text) => state.term.paste(text),
    focus: () => state.term.focus(),
    selectAll: () => state.term.selectAll(),
    lines: () => {
      const buffer = state.term.buffer.active, out = [];
      for (let i = 0; i < buffer.length; i++) out.push(buffer.getLine(i).translateToString(true));
      return out;
    },
    screen: () => {
      const buffer = state.term.buffer.active, out = [];
      for (let i = 0; i < state.term.rows; i++) {
        const line = buffer.getLine(buffer.viewportY + i);
        out.push(line ? line.translateToString(true) : "");
      }
      return { type: buffer.type, lines: out, rows: state.term.rows, cols: state.term.cols };
    },
    write: (text) => new Promise((resolve) => state.term.write(text, resolve)),
  };

  // The channel's objects may arrive before the body exists: wait for it.
  document.addEventListener("DOMContentLoaded", () => new QWebChannel(qt.webChannelTransport, start));
})();
