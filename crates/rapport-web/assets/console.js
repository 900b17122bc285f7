// Rapport staff console: search as you type, keyboard navigation, ticking arrival
// touches without a page load. Everything also works without this file.
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  var csrf = (document.querySelector('meta[name="csrf-token"]') || {}).content || "";

  // "/" focuses search from anywhere but a text field.
  document.addEventListener("keydown", function (e) {
    var t = e.target;
    var typing = t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.tagName === "SELECT" || t.isContentEditable);
    if (e.key === "/" && !typing) {
      var box = document.querySelector("[data-search]");
      if (box) { e.preventDefault(); box.focus(); box.select(); }
    }
  });

  var box = document.querySelector("[data-search]");
  var list = document.getElementById("search-results");
  if (box && list) {
    var timer = null, controller = null, asked = "";
    var items = function () { return Array.prototype.slice.call(list.querySelectorAll("a[data-result]")); };
    var active = function () { return list.querySelector("a.active"); };
    var close = function () { list.hidden = true; };
    var run = function () {
      var q = box.value.trim();
      if (q === asked) { return; }
      asked = q;
      if (controller) { controller.abort(); }
      if (!q) { list.innerHTML = ""; close(); return; }
      controller = new AbortController();
      fetch("/search?q=" + encodeURIComponent(q), { headers: { "X-Requested-With": "fetch" }, signal: controller.signal })
        .then(function (r) { return r.ok ? r.text() : ""; })
        .then(function (html) {
          if (q !== asked) { return; } // a newer query is on its way
          list.innerHTML = html;
          list.hidden = list.children.length === 0;
          var first = items()[0];
          if (first) { first.classList.add("active"); }
          list.setAttribute("data-for", q);
        })
        .catch(function () {});
    };
    box.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(run, 120); });
    box.addEventListener("keydown", function (e) {
      var all = items(), cur = active(), i = all.indexOf(cur);
      if (e.key === "ArrowDown" || e.key === "ArrowUp") {
        e.preventDefault();
        if (!all.length) { return; }
        var next = e.key === "ArrowDown" ? Math.min(i + 1, all.length - 1) : Math.max(i - 1, 0);
        if (cur) { cur.classList.remove("active"); }
        all[next].classList.add("active");
        all[next].scrollIntoView({ block: "nearest" });
      } else if (e.key === "Enter" && cur && !list.hidden) {
        e.preventDefault();
        window.location.href = cur.getAttribute("href");
      } else if (e.key === "Escape") {
        close();
      }
    });
    document.addEventListener("click", function (e) { if (!list.contains(e.target) && e.target !== box) { close(); } });
  }

  // Arrival touches: a tick is stored at once, with who and when shown beside it.
  Array.prototype.forEach.call(document.querySelectorAll("form[data-touch]"), function (form) {
    var box = form.querySelector('input[type="checkbox"]');
    var note = form.querySelector(".done-note");
    box.addEventListener("change", function () {
      var body = new URLSearchParams(new FormData(form));
      if (!box.checked) { body.delete("done"); }
      box.disabled = true;
      fetch(form.action, { method: "POST", body: body, headers: { "X-CSRF-Token": csrf, "X-Requested-With": "fetch" } })
        .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
        .then(function (j) { note.textContent = j.note; form.setAttribute("data-saved", j.done ? "done" : "open"); })
        .catch(function () { box.checked = !box.checked; form.setAttribute("data-saved", "error"); })
        .finally(function () { box.disabled = false; });
    });
  });

  Array.prototype.forEach.call(document.querySelectorAll("[data-print]"), function (b) {
    b.addEventListener("click", function () { window.print(); });
  });
})();
