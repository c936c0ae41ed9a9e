// Upload form: sends the chosen files to POST /api/ingest with the API key in the X-API-Key header
// (never in the address) and shows each file's outcome. Strings from the server go in with textContent.
(function () {
  "use strict";
  var form = document.getElementById("upload-form");
  if (!form) return;
  var status = document.getElementById("u-status");
  var table = document.getElementById("u-results");
  var body = table.querySelector("tbody");

  var labels = Array.prototype.map.call(table.querySelectorAll("thead th"), function (th) { return th.textContent; });
  function cell(tr, text, cls) {
    var td = document.createElement("td"); td.textContent = text == null ? "" : String(text); if (cls) td.className = cls;
    td.setAttribute("data-label", labels[tr.children.length] || ""); tr.appendChild(td); return td;
  }

  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    var files = document.getElementById("u-files").files;
    var key = document.getElementById("u-key").value;
    if (!files.length) { status.textContent = "choose at least one file"; return; }
    var data = new FormData();
    for (var i = 0; i < files.length; i++) data.append("files", files[i], files[i].name);
    var url = form.getAttribute("data-endpoint") + (document.getElementById("u-replace").checked ? "?replace=true" : "");
    var button = document.getElementById("u-go");
    button.disabled = true;
    status.textContent = "uploading " + files.length + " file" + (files.length === 1 ? "" : "s") + " …";
    form.setAttribute("data-state", "busy");
    fetch(url, { method: "POST", body: data, headers: { "X-API-Key": key, "Accept": "application/json" }, credentials: "same-origin" })
      .then(function (r) { return r.json().then(function (res) { return { ok: r.ok, status: r.status, res: res }; }); })
      .then(function (out) {
        body.replaceChildren();
        if (!out.ok) {
          var err = (out.res && out.res.error) || {};
          status.textContent = "refused (" + out.status + " " + (err.code || "") + "): " + (err.message || "");
          status.className = "error";
          table.hidden = true;
          return;
        }
        status.className = "meta";
        var counts = {};
        out.res.files.forEach(function (f) {
          counts[f.status] = (counts[f.status] || 0) + 1;
          var tr = document.createElement("tr");
          tr.setAttribute("data-status", f.status);
          cell(tr, f.file, "file");
          cell(tr, f.status, "status status-" + f.status);
          cell(tr, f.reason || "", "reason");
          var td = cell(tr, "", "doc");
          if (f.doc_id) { var a = document.createElement("a"); a.href = "/documents/" + encodeURIComponent(f.doc_id); a.textContent = f.symbol || f.doc_id; td.appendChild(a); }
          cell(tr, f.paragraphs, "num");
          body.appendChild(tr);
        });
        table.hidden = false;
        status.textContent = Object.keys(counts).map(function (k) { return counts[k] + " " + k; }).join(", ");
      })
      .catch(function (err) { status.textContent = "upload failed: " + err.message; status.className = "error"; })
      .then(function () { button.disabled = false; form.setAttribute("data-state", "done"); });
  });
})();
