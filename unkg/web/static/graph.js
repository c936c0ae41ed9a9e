// Graph explorer: cytoscape.js (installed from npm, served by the app). Every string from the
// data is put into the page with textContent, never as HTML.
(function () {
  "use strict";
  var COLORS = { Initiative: "#b4439b", Actor: "#1f8a4c", Country: "#6b8e23", Decision: "#0b5ea8", Session: "#5d6b7a",
    Document: "#334e68", Paragraph: "#9fb3c8", Mandate: "#c77700", Target: "#d64545", Quantity: "#bcccdc" };
  var status = document.getElementById("gstatus");
  var container = document.getElementById("cy");
  var expanded = {};
  window.unkgGraph = { expanded: expanded, ready: false };
  if (typeof cytoscape === "undefined") { status.textContent = "The graph library did not load (run npm ci)."; return; }

  var cy = cytoscape({
    container: container,
    style: [
      { selector: "node", style: { "label": "data(short)", "background-color": "data(color)", "font-size": 10,
        "text-valign": "bottom", "text-margin-y": 3, "width": "data(size)", "height": "data(size)", "color": "#1d2733",
        "text-wrap": "ellipsis", "text-max-width": 110, "min-zoomed-font-size": 7,
        "text-background-color": "#fcfdfe", "text-background-opacity": 0.85, "text-background-padding": 1 } },
      { selector: "node.onpath", style: { "border-width": 4, "border-color": "#d64545" } },
      { selector: "node.expanded", style: { "border-width": 3, "border-color": "#1d2733" } },
      { selector: "node:selected", style: { "border-width": 4, "border-color": "#ffb000" } },
      { selector: "edge", style: { "width": 1.4, "line-color": "#b8c4d0", "target-arrow-color": "#b8c4d0",
        "target-arrow-shape": "triangle", "curve-style": "bezier" } },
      { selector: "edge:selected, edge.hover", style: { "label": "data(type)", "font-size": 8, "color": "#5d6b7a", "text-rotation": "autorotate" } },
      { selector: "edge.onpath", style: { "line-color": "#d64545", "target-arrow-color": "#d64545", "width": 3,
        "label": "data(type)", "font-size": 8, "color": "#8a1c1c", "text-rotation": "autorotate",
        "text-background-color": "#fcfdfe", "text-background-opacity": 0.85 } },
      { selector: "edge:selected", style: { "line-color": "#ffb000", "target-arrow-color": "#ffb000", "width": 3 } }
    ],
    layout: { name: "preset" }
  });
  window.unkgGraph.cy = cy;

  function el(tag, text, cls) { var e = document.createElement(tag); if (text != null) e.textContent = text; if (cls) e.className = cls; return e; }
  function dirOf(lang) { return ["ar", "he", "fa", "ur"].indexOf((lang || "").split("-")[0]) >= 0 ? "rtl" : "ltr"; }
  function fetchJSON(url) {
    return fetch(url, { headers: { "Accept": "application/json" } }).then(function (r) {
      return r.json().then(function (body) { if (!r.ok) throw new Error((body.error && body.error.message) || r.statusText); return body; });
    });
  }

  function addNode(n, near) {
    if (cy.getElementById(n.id).nonempty()) return false;
    var name = n.name || n.id;
    var shortName = name;
    if (n.label === "Paragraph") {  // "ICCD/COP(16)/18, para. 12" -> "¶ 12"; the full citation is in the side panel
      var m = /,\s*(?:para\.|paragraph)\s*(.+)$/.exec(name);
      var where = m ? name.slice(0, m.index) : name;
      shortName = (m ? "¶ " + m[1] : "¶") + " · " + (where.length > 16 ? where.slice(0, 15) + "…" : where);
    }
    var pos = near ? { x: near.x + (Math.random() - 0.5) * 60, y: near.y + (Math.random() - 0.5) * 60 } : { x: 0, y: 0 };
    cy.add({ group: "nodes", data: { id: n.id, name: name, short: shortName.length > 40 ? shortName.slice(0, 38) + "…" : shortName,
      label: n.label, color: COLORS[n.label] || "#829ab1", size: Math.min(46, 16 + Math.sqrt(n.degree || 1) * 3),
      language: n.language || "", props: n.props || {} }, position: pos });
    return true;
  }
  function addEdge(e) {
    if (cy.getElementById(e.id).nonempty()) return;
    if (cy.getElementById(e.source).empty() || cy.getElementById(e.target).empty()) return;
    cy.add({ group: "edges", data: { id: e.id, source: e.source, target: e.target, type: e.type, paragraph: e.paragraph || "",
      citation: e.citation || "", ptext: e.paragraph_text || "", evidence: e.evidence || "" } });
  }
  // Labels must not overlap: cose counts each node with its label, then the boxes still touching are pushed apart.
  function relayout() {
    var opts = { name: "cose", animate: false, fit: false, padding: 30, randomize: false, nodeOverlap: 60,
      nodeDimensionsIncludeLabels: true, nodeRepulsion: function () { return 20000; }, idealEdgeLength: function () { return 130; } };
    cy.layout(opts).run();
    separateLabels(4);
    cy.fit(undefined, 30);
    if (cy.zoom() > 1.4) { cy.zoom(1.4); cy.center(); }  // a short path stays at reading size
  }
  function labelBox(n) { return n.boundingBox({ includeNodes: true, includeLabels: true, includeEdges: false, includeOverlays: false }); }
  function separateLabels(gap) {
    var nodes = cy.nodes().toArray();
    for (var round = 0; round < 200; round++) {
      var moved = false;
      var boxes = nodes.map(labelBox);
      for (var i = 0; i < nodes.length; i++) {
        for (var j = i + 1; j < nodes.length; j++) {
          var a = boxes[i], b = boxes[j];
          var ox = Math.min(a.x2, b.x2) - Math.max(a.x1, b.x1) + gap, oy = Math.min(a.y2, b.y2) - Math.max(a.y1, b.y1) + gap;
          if (ox <= 0 || oy <= 0) continue;
          var pi = nodes[i].position(), pj = nodes[j].position();
          var dx = 0, dy = 0;  // push apart along the axis that needs the smaller move, half each
          if (ox < oy) { dx = (pi.x <= pj.x ? -1 : 1) * ox / 2; } else { dy = (pi.y <= pj.y ? -1 : 1) * oy / 2; }
          nodes[i].position({ x: pi.x + dx, y: pi.y + dy });
          nodes[j].position({ x: pj.x - dx, y: pj.y - dy });
          boxes[i] = labelBox(nodes[i]); boxes[j] = labelBox(nodes[j]);
          moved = true;
        }
      }
      if (!moved) return round;
    }
    return -1;
  }

  function showNode(node) {
    var box = document.getElementById("selected");
    box.replaceChildren();
    var d = node.data();
    box.appendChild(el("h3", d.name));
    box.appendChild(el("p", d.label + " · " + d.id, "meta"));
    if (d.props && d.props.text) { var t = el("p", d.props.text, "text"); t.setAttribute("lang", d.language || ""); t.setAttribute("dir", dirOf(d.language)); box.appendChild(t); }
    box.appendChild(el("p", expanded[d.id] ? "neighbours shown; click an edge to read its paragraph" : "click the node to expand its neighbours", "meta"));
  }

  function showEdge(edge) {
    var d = edge.data();
    var box = document.getElementById("edge-info");
    box.replaceChildren();
    box.appendChild(el("h3", d.type));
    box.appendChild(el("p", cy.getElementById(d.source).data("name") + " → " + cy.getElementById(d.target).data("name"), "meta"));
    if (!d.paragraph) { box.appendChild(el("p", "no source paragraph recorded", "meta")); return; }
    var a = el("a", d.citation || d.paragraph, "citation");
    a.href = "/paragraphs/" + encodeURIComponent(d.paragraph);
    a.id = "edge-citation";
    box.appendChild(a);
    var text = el("p", d.ptext || "", "text");
    text.id = "edge-paragraph";
    box.appendChild(text);
    fetchJSON("/api/paragraphs/" + encodeURIComponent(d.paragraph)).then(function (res) {
      a.textContent = res.paragraph.citation; a.href = res.url;
      text.textContent = res.paragraph.text;
      text.setAttribute("lang", res.paragraph.language || ""); text.setAttribute("dir", res.paragraph.dir || "ltr");
    }).catch(function (err) { text.textContent = d.ptext || ("could not load the paragraph: " + err.message); });
  }

  function expand(id) {
    status.textContent = "loading neighbours of " + id + " …";
    return fetchJSON("/api/graph/neighbourhood?limit=40&node=" + encodeURIComponent(id)).then(function (res) {
      var center = cy.getElementById(id);
      var near = center.nonempty() ? center.position() : null;
      var added = 0;
      res.nodes.forEach(function (n) { if (addNode(n, near)) added++; });
      res.edges.forEach(addEdge);
      expanded[id] = true;
      cy.getElementById(id).addClass("expanded");
      relayout();
      status.textContent = (cy.getElementById(id).data("name") || id) + ": " + added + " neighbours added" +
        (res.truncated ? " (the most connected shown)" : "") + " · " + cy.nodes().length + " nodes, " + cy.edges().length + " edges";
      container.setAttribute("data-nodes", String(cy.nodes().length));
      container.setAttribute("data-expanded", Object.keys(expanded).join("|"));
      return res;
    }).catch(function (err) { status.textContent = "error: " + err.message; });
  }

  function start(id) {
    cy.elements().remove();
    Object.keys(expanded).forEach(function (k) { delete expanded[k]; });
    return fetchJSON("/api/graph/neighbourhood?limit=1&node=" + encodeURIComponent(id)).then(function (res) {
      var c = res.nodes.filter(function (n) { return n.id === res.center; })[0];
      addNode(c, null);
      cy.fit(undefined, 120); cy.zoom(1.5); cy.center();
      container.setAttribute("data-nodes", String(cy.nodes().length));
      status.textContent = c.name + " (" + c.label + ", " + c.degree + " connections): click it to expand";
      showNode(cy.getElementById(c.id));
    }).catch(function (err) { status.textContent = "error: " + err.message; });
  }

  cy.on("tap", "node", function (evt) {
    var n = evt.target;
    showNode(n);
    if (!expanded[n.id()]) expand(n.id()).then(function () { showNode(n); });
  });
  cy.on("tap", "edge", function (evt) { cy.elements().unselect(); evt.target.select(); showEdge(evt.target); });
  cy.on("mouseover", "edge", function (evt) { evt.target.addClass("hover"); });
  cy.on("mouseout", "edge", function (evt) { evt.target.removeClass("hover"); });

  document.getElementById("node-search").addEventListener("submit", function (ev) {
    ev.preventDefault();
    var q = document.getElementById("node-q").value.trim();
    var list = document.getElementById("node-results");
    list.replaceChildren();
    if (!q) return;
    fetchJSON("/api/graph/nodes?limit=15&q=" + encodeURIComponent(q)).then(function (res) {
      if (!res.nodes.length) { list.appendChild(el("li", "nothing found", "meta")); return; }
      res.nodes.forEach(function (n) {
        var li = el("li"); var b = el("button", n.name + "  · " + n.label);
        b.type = "button"; b.setAttribute("data-node", n.id);
        b.addEventListener("click", function () { history.replaceState(null, "", "/graph?node=" + encodeURIComponent(n.id)); start(n.id); });
        li.appendChild(b); list.appendChild(li);
      });
    }).catch(function (err) { list.appendChild(el("li", "error: " + err.message, "meta")); });
  });

  function stepItem(i, from, to, e) {
    var li = el("li", null, "step");
    li.setAttribute("data-edge", e.id);
    var forward = e.source === from.id;
    li.appendChild(el("span", from.name, "from"));
    li.appendChild(el("span", forward ? " —" + e.type + "→ " : " ←" + e.type + "— ", "rel"));
    li.appendChild(el("span", to.name, "to"));
    if (e.paragraph) {
      var a = el("a", e.citation || e.paragraph, "citation step-citation");
      a.href = "/paragraphs/" + encodeURIComponent(e.paragraph);
      var p = el("div", null, "meta"); p.appendChild(document.createTextNode("in ")); p.appendChild(a);
      li.appendChild(p);
    }
    li.addEventListener("click", function (ev) {
      if (ev.target.tagName === "A") return;
      var edge = cy.getElementById(e.id);
      if (edge.nonempty()) { cy.elements().unselect(); edge.select(); showEdge(edge); }
    });
    return li;
  }

  function showPath(source, target) {
    var list = document.getElementById("path-steps");
    list.replaceChildren();
    status.textContent = "finding a path …";
    return fetchJSON("/api/graph/path?source=" + encodeURIComponent(source) + "&target=" + encodeURIComponent(target)).then(function (res) {
      if (!res.found) {
        list.appendChild(el("li", "no path within reach between these two", "meta"));
        status.textContent = "no path found";
        container.setAttribute("data-path", "none");
        return res;
      }
      cy.elements().remove();
      Object.keys(expanded).forEach(function (k) { delete expanded[k]; });
      res.nodes.forEach(function (n, i) { addNode(n, { x: i * 160, y: 0 }); });
      res.edges.forEach(addEdge);
      cy.nodes().addClass("onpath"); cy.edges().addClass("onpath");
      cy.nodes().positions(function (n, i) { return { x: i * 160, y: (i % 2) * 60 }; });
      relayout();
      res.edges.forEach(function (e, i) { list.appendChild(stepItem(i, res.nodes[i], res.nodes[i + 1], e)); });
      if (!res.edges.length) list.appendChild(el("li", "both name the same node", "meta"));
      status.textContent = res.nodes[0].name + " → " + res.nodes[res.nodes.length - 1].name + ": " + res.edges.length +
        " step" + (res.edges.length === 1 ? "" : "s") + "; click a node to expand it";
      container.setAttribute("data-nodes", String(cy.nodes().length));
      container.setAttribute("data-path", res.nodes.map(function (n) { return n.id; }).join("|"));
      return res;
    }).catch(function (err) {
      list.appendChild(el("li", "error: " + err.message, "error"));
      status.textContent = "error: " + err.message;
      container.setAttribute("data-path", "error");
    });
  }

  document.getElementById("path-form").addEventListener("submit", function (ev) {
    ev.preventDefault();
    var a = document.getElementById("path-from").value.trim(), b = document.getElementById("path-to").value.trim();
    if (!a || !b) { status.textContent = "give both ends of the path"; return; }
    history.replaceState(null, "", "/graph?" + new URLSearchParams({ from: a, to: b }).toString());
    showPath(a, b);
  });
  window.unkgGraph.separateLabels = separateLabels;

  var first = container.getAttribute("data-start");
  var pathFrom = document.getElementById("path-from").value.trim(), pathTo = document.getElementById("path-to").value.trim();
  if (pathFrom && pathTo) { showPath(pathFrom, pathTo).then(function () { window.unkgGraph.ready = true; }); return; }
  if (first) { start(first).then(function () { window.unkgGraph.ready = true; }); }
  else { status.textContent = "Find a node (an initiative, an actor, a decision) to start."; window.unkgGraph.ready = true; }
})();
