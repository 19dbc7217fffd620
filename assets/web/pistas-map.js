// The web map Pistas writes (`pistas publish`): strips coloured by their status at the
// slider's date, a time slider with play, a click for a strip's history and sources, a
// legend and credits. Everything it needs is in the page: the data in #pistas-data, the
// basemap lines in it, Leaflet inline. It makes no request.
(function () {
  "use strict";
  // When each phase ended (ms since navigation): parsed, basemap, strips drawn.
  var times = window.pistasTimes = { start: performance.now() };
  var data = JSON.parse(document.getElementById("pistas-data").textContent);
  times.parsed = performance.now();
  var words = data.words;
  var DAY = 86400000;
  function dayText(d) { return new Date(d * DAY).toISOString().slice(0, 10); }
  function esc(s) {
    return String(s).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  var container = document.getElementById("map");
  var map = L.map(container, { preferCanvas: true, zoomControl: true, attributionControl: true });
  map.attributionControl.setPrefix(false);
  map.attributionControl.addAttribution(esc(data.attribution));
  var renderer = L.canvas({ padding: 0.2 });

  // The basemap: land, then lines by class.
  container.style.background = "#b9d6ee";
  var styles = {
    country: { color: "#6b5b4b", weight: 1, fill: true, fillColor: "#f2efe6", fillOpacity: 1 },
    department: { color: "#a89888", weight: 0.8, dashArray: "4 3", fill: false },
    outline: { color: "#6b5b4b", weight: 1.4, fill: false },
    wriver: { color: "#5d9cd6", weight: 1, fill: false },
    river: { color: "#5d9cd6", weight: 1.2, fill: false }
  };
  data.basemap.forEach(function (layer) {
    var style = styles[layer.class] || { color: "#888", weight: 1 };
    style.renderer = renderer;
    style.interactive = false;
    var latlngs = layer.lines.map(function (line) {
      return line.map(function (p) { return [p[1], p[0]]; });
    });
    // Each country's ring is a polygon of its own (one list of rings would make the
    // others holes in the first).
    if (style.fill) {
      L.polygon(latlngs.map(function (ring) { return [ring]; }), style).addTo(map);
    } else {
      L.polyline(latlngs, style).addTo(map);
    }
  });

  // The strips, drawn on a canvas of their own above the basemap.
  var strips = data.strips; // [name, id, geometry, steps, events]
  function statusAt(steps, day) {
    var s = 0;
    for (var i = 0; i < steps.length; i += 2) {
      if (steps[i] <= day) { s = steps[i + 1]; } else { break; }
    }
    return s;
  }
  var day = data.at;
  // Web Mercator at zoom 0, in 0..1: [x, y] for a point, [x0, y0, x1, y1, …] for a line.
  var projected = null;
  function merc(lon, lat) {
    var s = Math.sin(Math.max(-85, Math.min(85, lat)) * Math.PI / 180);
    return [(lon + 180) / 360, 0.5 - Math.log((1 + s) / (1 - s)) / (4 * Math.PI)];
  }
  function project() {
    projected = new Array(strips.length);
    for (var i = 0; i < strips.length; i++) {
      var g = strips[i][2];
      if (!g) { projected[i] = null; continue; }
      if (typeof g[0] === "number") { projected[i] = merc(g[0], g[1]); continue; }
      var out = [];
      for (var k = 0; k < g.length; k++) { var p = merc(g[k][0], g[k][1]); out.push(p[0], p[1]); }
      projected[i] = out;
    }
  }
  var StripLayer = L.Layer.extend({
    onAdd: function (m) {
      this._canvas = L.DomUtil.create("canvas", "pistas-strips leaflet-zoom-animated");
      m.getPanes().overlayPane.appendChild(this._canvas);
      m.on("moveend zoomend resize", this.redraw, this);
      this.redraw();
    },
    onRemove: function (m) {
      L.DomUtil.remove(this._canvas);
      m.off("moveend zoomend resize", this.redraw, this);
    },
    redraw: function () {
      var m = this._map, size = m.getSize(), ratio = window.devicePixelRatio || 1;
      var topLeft = m.containerPointToLayerPoint([0, 0]);
      L.DomUtil.setPosition(this._canvas, topLeft);
      this._canvas.width = size.x * ratio; this._canvas.height = size.y * ratio;
      this._canvas.style.width = size.x + "px"; this._canvas.style.height = size.y + "px";
      var ctx = this._canvas.getContext("2d");
      ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
      ctx.lineCap = "round";
      // Every vertex in Web Mercator at zoom 0, once; each draw only scales and shifts.
      if (!projected) { project(); }
      var scale = 256 * Math.pow(2, m.getZoom());
      // Where (0°, 0°), at Mercator (0.5, 0.5), is on screen gives the shift.
      var zero = m.latLngToContainerPoint([0, 0]);
      var ox = zero.x - 0.5 * scale, oy = zero.y - 0.5 * scale;
      var drawn = 0, points = new Float32Array(strips.length * 2);
      // One path per colour: a few fills and strokes instead of one per strip.
      var byColour = [[], [], [], []];
      for (var i = 0; i < strips.length; i++) {
        var v = projected[i];
        if (!v) { points[2 * i] = NaN; continue; }
        byColour[statusAt(strips[i][3], day)].push(i);
        points[2 * i] = v[0] * scale + ox; points[2 * i + 1] = v[1] * scale + oy;
        drawn++;
      }
      for (var c = 0; c < 4; c++) {
        var list = byColour[c];
        if (!list.length) { continue; }
        var dots = new Path2D(), lines = new Path2D();
        for (var k = 0; k < list.length; k++) {
          var j = list[k], w = projected[j], x = w[0] * scale + ox, y = w[1] * scale + oy;
          if (x < -20 || y < -20 || x > size.x + 20 || y > size.y + 20) {
            if (w.length === 2) { continue; }
          }
          if (w.length === 2) {
            dots.moveTo(x + 5, y); dots.arc(x, y, 5, 0, 6.2832);
          } else {
            lines.moveTo(x, y);
            for (var n = 2; n < w.length; n += 2) { lines.lineTo(w[n] * scale + ox, w[n + 1] * scale + oy); }
          }
        }
        ctx.lineWidth = 7; ctx.strokeStyle = "#fff"; ctx.stroke(lines);
        ctx.lineWidth = 4; ctx.strokeStyle = data.colours[c]; ctx.stroke(lines);
        ctx.fillStyle = data.colours[c]; ctx.fill(dots);
        ctx.lineWidth = 1.5; ctx.strokeStyle = "#fff"; ctx.stroke(dots);
      }
      this._points = points;
      container.setAttribute("data-strips-drawn", String(drawn));
      container.setAttribute("data-date", dayText(day));
    },
    nearest: function (pt) {
      var best = -1, bestD = 12 * 12, pts = this._points;
      for (var i = 0; i < strips.length; i++) {
        var dx = pts[2 * i] - pt.x, dy = pts[2 * i + 1] - pt.y, d = dx * dx + dy * dy;
        if (d < bestD) { bestD = d; best = i; }
      }
      return best;
    }
  });
  var layer = new StripLayer();

  times.basemap = performance.now();
  var b = data.bounds; // west, south, east, north
  map.fitBounds([[b[1], b[0]], [b[3], b[2]]], { padding: [20, 20], maxZoom: 13 });
  layer.addTo(map);
  times.drawn = performance.now();

  function history(i) {
    var s = strips[i], st = statusAt(s[3], day);
    var html = "<div class='pistas-popup'><b>" + esc(s[0]) + "</b> <small>" + esc(s[1]) + "</small><br>" +
      "<span class='badge' style='background:" + data.colours[st] + "'>" + esc(data.statuses[st]) + "</span> " +
      esc(words.statusOn.replace("{}", dayText(day))) + "<table>";
    s[4].forEach(function (e) {
      var sources = e[4].map(function (src) {
        return src[1] ? "<a href='" + esc(src[1]) + "' target='_blank' rel='noopener'>" + esc(src[0]) + "</a>" : esc(src[0]);
      }).join("<br>");
      html += "<tr><td>" + esc(e[0]) + "</td><td style='color:" + data.colours[e[2]] + "'><b>" + esc(e[1]) +
        "</b></td><td>" + esc(e[3]) + "</td><td>" + sources + "</td></tr>";
    });
    return html + "</table></div>";
  }
  var open = -1;
  map.on("click", function (ev) {
    var i = layer.nearest(ev.containerPoint);
    if (i < 0) { return; }
    open = i;
    container.setAttribute("data-open-strip", strips[i][1]);
    L.popup({ maxWidth: 420 }).setLatLng(ev.latlng).setContent(history(i)).openOn(map);
  });

  // The time slider, its date and play.
  var slider = document.getElementById("date");
  var label = document.getElementById("date-label");
  var play = document.getElementById("play");
  slider.min = data.min; slider.max = data.max; slider.value = day;
  function setDay(d) {
    day = d; slider.value = d; label.textContent = dayText(d);
    layer.redraw();
  }
  slider.addEventListener("input", function () { setDay(parseInt(slider.value, 10)); });
  var timer = null;
  play.addEventListener("click", function () {
    if (timer) { clearInterval(timer); timer = null; play.textContent = words.play; return; }
    if (day >= data.max) { setDay(data.min); }
    play.textContent = words.pause;
    timer = setInterval(function () {
      if (day >= data.max) { clearInterval(timer); timer = null; play.textContent = words.play; return; }
      setDay(Math.min(data.max, day + 7));
    }, 120);
  });
  slider.value = day; label.textContent = dayText(day);

  // For those who script the page (and its tests): the map, a strip's status at the
  // slider's date and where it is drawn.
  function find(id) {
    for (var i = 0; i < strips.length; i++) { if (strips[i][1] === id) { return i; } }
    return -1;
  }
  window.pistasMap = {
    map: map,
    setDate: function (text) { setDay(Math.round(Date.parse(text) / DAY)); },
    statusOf: function (id) { var i = find(id); return i < 0 ? null : data.statuses[statusAt(strips[i][3], day)]; },
    colourOf: function (id) { var i = find(id); return i < 0 ? null : data.colours[statusAt(strips[i][3], day)]; },
    pointOf: function (id) {
      var i = find(id), g = i < 0 ? null : strips[i][2];
      if (!g) { return null; }
      var p = typeof g[0] === "number" ? g : g[0];
      var c = map.latLngToContainerPoint([p[1], p[0]]), r = container.getBoundingClientRect();
      return [c.x + r.left, c.y + r.top];
    }
  };

  // The legend.
  var legend = L.control({ position: "topright" });
  legend.onAdd = function () {
    var div = L.DomUtil.create("div", "pistas-legend");
    div.innerHTML = "<b>" + esc(words.legend) + "</b><br>" + data.statuses.map(function (s, i) {
      return "<span class='dot' style='background:" + data.colours[i] + "'></span>" + esc(s);
    }).join("<br>");
    return div;
  };
  legend.addTo(map);
})();
