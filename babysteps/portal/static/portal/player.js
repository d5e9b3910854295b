// The video page's one script: buttons for the player, and the watch report.
// It reports which seconds were really played (the browser's video.played ranges, so
// skipping ahead counts for nothing), in batches. Ranges wait in localStorage until the
// server has them, so a report lost while offline goes with the next one; resending is
// harmless because the server merges ranges.
(function () {
  "use strict";
  var box = document.querySelector("[data-player]");
  if (!box) return;
  var video = box.querySelector("video");
  var url = box.dataset.progressUrl;
  var csrf = box.dataset.csrf;
  var key = box.dataset.videoKey;
  var status = box.querySelector("[data-status]");
  var sending = false;
  var pending = false; // a report asked for while another was in flight: sent right after
  var timer = null;
  var retry = null;
  var retryDelay = 5000;

  function played() {
    var out = [];
    for (var i = 0; i < video.played.length; i++) {
      out.push([Number(video.played.start(i).toFixed(2)), Number(video.played.end(i).toFixed(2))]);
    }
    return out;
  }
  function stored() {
    try { return JSON.parse(window.localStorage.getItem(key) || "[]"); } catch (e) { return []; }
  }
  function merge(a, b) {
    var all = a.concat(b).filter(function (r) { return r[1] > r[0]; });
    all.sort(function (x, y) { return x[0] - y[0]; });
    var out = [];
    all.forEach(function (r) {
      var last = out[out.length - 1];
      if (last && r[0] <= last[1] + 0.25) { last[1] = Math.max(last[1], r[1]); }
      else { out.push([r[0], r[1]]); }
    });
    return out;
  }
  function remember() {
    var ranges = merge(stored(), played());
    try { window.localStorage.setItem(key, JSON.stringify(ranges)); } catch (e) { /* private mode */ }
    return ranges;
  }
  function forget() {
    try { window.localStorage.removeItem(key); } catch (e) { /* private mode */ }
  }
  function show(data) {
    if (!status || !data) return;
    // The words come from the page, in the parent's language.
    if (data.watched) { status.textContent = status.dataset.doneText; }
    else {
      status.textContent = status.dataset.progressText
        .replace("{seconds}", Math.round(data.seconds_watched))
        .replace("{total}", Math.round(data.duration));
    }
  }
  function send(keepalive) {
    var ranges = remember();
    if (!ranges.length) return;
    // The page is going away: send now, whatever is in flight (the server merges ranges).
    // Otherwise wait for the report in flight and send this one right after it.
    if (sending && !keepalive) { pending = true; return; }
    sending = true;
    var body = new URLSearchParams();
    body.set("intervals", JSON.stringify(ranges));
    body.set("csrfmiddlewaretoken", csrf);
    window.fetch(url, {
      method: "POST", body: body, credentials: "same-origin", keepalive: !!keepalive,
      headers: { "X-CSRFToken": csrf },
    }).then(function (response) {
      if (response.ok) { forget(); retryDelay = 5000; return response.json().then(show); }
      if (response.status === 404 || response.status === 422) { forget(); return null; }
      throw new Error("not saved");
    }).catch(function () {
      // Offline or the server is busy: the ranges stay stored; try again a little later.
      window.clearTimeout(retry);
      retry = window.setTimeout(function () { send(false); }, retryDelay);
      retryDelay = Math.min(retryDelay * 2, 60000);
    }).then(function () {
      sending = false;
      if (pending) { pending = false; send(false); }
    });
  }

  video.addEventListener("play", function () {
    if (!timer) timer = window.setInterval(function () { send(false); }, 15000);
  });
  ["pause", "ended", "seeking"].forEach(function (name) {
    video.addEventListener(name, function () { send(false); });
  });
  video.addEventListener("pause", function () { window.clearInterval(timer); timer = null; });
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") send(true);
  });
  window.addEventListener("pagehide", function () { send(true); });
  window.addEventListener("online", function () { send(false); });
  if (stored().length) send(false); // something from an earlier visit that never arrived

  // Buttons: real <button>s, so they work with a keyboard and a screen reader.
  var controls = box.querySelector(".player-controls");
  if (!controls) return;
  controls.hidden = false;
  var playButton = controls.querySelector("[data-action=play]");
  function label() {
    playButton.textContent = video.paused ? playButton.dataset.play : playButton.dataset.pause;
  }
  video.addEventListener("play", label);
  video.addEventListener("pause", label);
  controls.addEventListener("click", function (event) {
    var action = event.target.dataset && event.target.dataset.action;
    if (action === "play") { if (video.paused) { video.play(); } else { video.pause(); } }
    if (action === "back") { video.currentTime = Math.max(0, video.currentTime - 10); }
    if (action === "forward") { video.currentTime = Math.min(video.duration || 0, video.currentTime + 10); }
    if (action === "captions" && video.textTracks.length) {
      // The track showing (the parent may have chosen another in the player's menu),
      // else the one in the parent's language, else the first.
      var wanted = box.dataset.defaultTrack, track = null, i;
      for (i = 0; i < video.textTracks.length; i++) {
        if (video.textTracks[i].mode === "showing") { track = video.textTracks[i]; }
      }
      for (i = 0; !track && i < video.textTracks.length; i++) {
        if (video.textTracks[i].language === wanted) { track = video.textTracks[i]; }
      }
      track = track || video.textTracks[0];
      track.mode = track.mode === "showing" ? "hidden" : "showing";
      event.target.setAttribute("aria-pressed", track.mode === "showing" ? "true" : "false");
    }
  });
})();
