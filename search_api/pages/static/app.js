// Career Compass: progressive enhancement only. Every page works without this file (plain
// links and GET forms); with it, filters apply as they change, the main area is swapped in
// place (history kept in sync), and the search box suggests careers as you type.
(function () {
  "use strict";
  var root = document.documentElement;
  root.classList.add("js");
  var main = document.getElementById("main");
  var netError = document.getElementById("net-error");
  var announcer = document.getElementById("announce");
  var narrow = window.matchMedia("(max-width: 47.99rem)");
  if (!main) return;

  // ---- swapping the main area ---------------------------------------------------------
  var navSeq = 0;
  var navCtrl = null;

  function formUrl(form) {
    var params = new URLSearchParams();
    new FormData(form).forEach(function (value, key) {
      if (typeof value === "string" && value.trim() !== "") params.append(key, value.trim());
    });
    var query = params.toString();
    return form.getAttribute("action") + (query ? "?" + query : "");
  }

  function navigate(url, opts) {
    opts = opts || {};
    var seq = ++navSeq;
    if (navCtrl) navCtrl.abort();
    navCtrl = new AbortController();
    var filters = document.getElementById("filters");
    var filtersOpen = filters ? filters.open : null;
    main.setAttribute("aria-busy", "true");
    return fetch(url, { signal: navCtrl.signal, headers: { "X-Requested-With": "fetch" } })
      .then(function (res) { return res.text(); })
      .then(function (html) {
        // a slower, older answer never replaces a newer one
        if (seq !== navSeq) return;
        var doc = new DOMParser().parseFromString(html, "text/html");
        var next = doc.getElementById("main");
        if (!next) throw new Error("no main");
        main.innerHTML = next.innerHTML;
        main.dataset.url = next.dataset.url;
        document.title = next.dataset.title || doc.title;
        var lang = doc.getElementById("lang-switch");
        var mine = document.getElementById("lang-switch");
        if (lang && mine) mine.setAttribute("href", lang.getAttribute("href"));
        var target = next.dataset.url || url;
        if (opts.push !== false) history.pushState({ swap: true }, "", target);
        else history.replaceState({ swap: true }, "", target);
        shown = here();
        netError.hidden = true;
        var newFilters = document.getElementById("filters");
        if (newFilters && filtersOpen !== null) newFilters.open = filtersOpen;
        enhance(main);
        var focus = opts.focus && document.getElementById(opts.focus);
        if (focus) focus.focus();
        var heading = main.querySelector("[data-announce]");
        if (heading) announcer.textContent = heading.textContent.trim();
      })
      .catch(function (err) {
        if (err && err.name === "AbortError") return;
        if (seq === navSeq) netError.hidden = false;
      })
      .finally(function () {
        if (seq === navSeq) main.removeAttribute("aria-busy");
      });
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[data-swap]");
    if (!link || event.defaultPrevented || event.button !== 0) return;
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    navigate(link.href, { focus: link.dataset.focus });
  });

  document.addEventListener("submit", function (event) {
    var form = event.target;
    // a last "are you sure" before what cannot be undone (the server also needs the tick)
    if (form.matches("form[data-confirm]") && !window.confirm(form.dataset.confirm)) {
      event.preventDefault();
      return;
    }
    if (!form.matches("form[data-swap]")) return;
    event.preventDefault();
    var active = document.activeElement;
    navigate(formUrl(form), { focus: active && active.id && form.contains(active) ? active.id : null });
  });

  document.addEventListener("change", function (event) {
    var input = event.target;
    var form = input.form;
    if (!form || !form.hasAttribute("data-autosubmit")) return;
    if (input.type === "checkbox" || input.type === "radio" || input.tagName === "SELECT") {
      navigate(formUrl(form), { focus: input.id });
    }
  });

  function here() { return location.pathname + location.search; }
  var shown = here();
  history.replaceState({ swap: true }, "", location.href);
  window.addEventListener("popstate", function () {
    // a jump within the page (the skip link, #quiz-form) changes only the hash
    if (here() === shown) return;
    shown = here();
    navigate(location.href, { push: false, focus: "results-heading" });
  });

  // ---- as-you-type suggestions (ARIA combobox) -------------------------------------------
  function setupCombo(input) {
    if (input.dataset.ready) return;
    input.dataset.ready = "1";
    var list = document.getElementById(input.getAttribute("aria-controls"));
    var timer = null;
    var seq = 0;
    var ctrl = null;
    var active = -1;
    var items = [];

    function close() {
      list.hidden = true;
      list.innerHTML = "";
      items = [];
      active = -1;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    }

    function mark(index) {
      active = index;
      Array.prototype.forEach.call(list.children, function (li, i) {
        li.setAttribute("aria-selected", i === index ? "true" : "false");
      });
      if (index >= 0) input.setAttribute("aria-activedescendant", list.children[index].id);
      else input.removeAttribute("aria-activedescendant");
    }

    function render(suggestions) {
      list.innerHTML = "";
      items = suggestions;
      active = -1;
      if (!suggestions.length) { close(); return; }
      suggestions.forEach(function (s, i) {
        var li = document.createElement("li");
        li.id = list.id + "-" + i;
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        li.dataset.id = s.id;
        li.appendChild(document.createTextNode(s.name));
        if (s.hindi_name) {
          li.appendChild(document.createTextNode(" "));
          var hi = document.createElement("span");
          hi.lang = "hi";
          hi.className = "hindi";
          hi.textContent = s.hindi_name;
          li.appendChild(hi);
        }
        var extra = document.createElement("span");
        extra.className = "muted";
        extra.textContent = " · " + (s.matched ? s.matched + " · " : "") + s.category;
        li.appendChild(extra);
        li.addEventListener("mousedown", function (e) { e.preventDefault(); });
        li.addEventListener("click", function () { choose(i); });
        list.appendChild(li);
      });
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
    }

    function choose(index) {
      var s = items[index];
      if (!s) return;
      close();
      if (input.dataset.choose === "fill") {
        input.value = s.name;
        var hidden = input.form && input.form.querySelector("input[name=add_id]");
        if (hidden) hidden.value = s.id;
        if (input.form) input.form.requestSubmit();
      } else {
        window.location.assign("/careers/" + encodeURIComponent(s.id));
      }
    }

    function fetchSuggestions(q) {
      var mine = ++seq;
      if (ctrl) ctrl.abort();
      ctrl = new AbortController();
      fetch(input.dataset.suggest + "?size=6&q=" + encodeURIComponent(q), { signal: ctrl.signal })
        .then(function (res) { if (!res.ok) throw new Error(res.status); return res.json(); })
        .then(function (body) {
          // only the answer to the latest text is shown, whatever order answers arrive in
          if (mine !== seq || body.data.query !== input.value.trim().split(/\s+/).join(" ")) return;
          render(body.data.suggestions);
        })
        .catch(function (err) { if (mine === seq && (!err || err.name !== "AbortError")) close(); });
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      seq++; // whatever is in flight is now stale
      var hidden = input.form && input.form.querySelector("input[name=add_id]");
      if (hidden) hidden.value = "";
      var q = input.value.trim();
      if (q.length < 2) { close(); return; }
      timer = setTimeout(function () { fetchSuggestions(q); }, 150);
    });
    input.addEventListener("keydown", function (e) {
      if (list.hidden) {
        if (e.key === "ArrowDown" && input.value.trim().length >= 2) fetchSuggestions(input.value.trim());
        return;
      }
      if (e.key === "ArrowDown") { e.preventDefault(); mark((active + 1) % items.length); }
      else if (e.key === "ArrowUp") { e.preventDefault(); mark(active <= 0 ? items.length - 1 : active - 1); }
      else if (e.key === "Enter" && active >= 0) { e.preventDefault(); choose(active); }
      else if (e.key === "Escape") { e.preventDefault(); close(); }
    });
    input.addEventListener("blur", function () { setTimeout(close, 100); });
  }

  // ---- saved careers (this browser only, until accounts exist) --------------------------
  function readSaved() {
    try { return JSON.parse(localStorage.getItem("cc_saved") || "[]"); } catch (e) { return []; }
  }
  function writeSaved(list) {
    try { localStorage.setItem("cc_saved", JSON.stringify(list)); } catch (e) { /* private mode */ }
  }
  function setupSave(button) {
    function paint() {
      var on = readSaved().some(function (s) { return s.id === button.dataset.save; });
      button.setAttribute("aria-pressed", on ? "true" : "false");
      button.textContent = on ? button.dataset.savedLabel : button.dataset.saveLabel;
    }
    button.hidden = false;
    paint();
    button.addEventListener("click", function () {
      var list = readSaved().filter(function (s) { return s.id !== button.dataset.save; });
      if (button.getAttribute("aria-pressed") !== "true") list.unshift({ id: button.dataset.save, name: button.dataset.name });
      writeSaved(list.slice(0, 20));
      paint();
    });
  }
  function showSaved(section) {
    var saved = readSaved();
    if (!saved.length) return;
    var ul = section.querySelector("ul");
    saved.forEach(function (s) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = "/careers/" + encodeURIComponent(s.id);
      a.textContent = s.name;
      li.appendChild(a);
      ul.appendChild(li);
    });
    section.hidden = false;
  }

  // ---- quiz progress -----------------------------------------------------------------------
  function setupQuiz(form) {
    var out = document.getElementById("quiz-progress");
    if (!out) return;
    form.addEventListener("change", function () {
      var answered = form.querySelectorAll("fieldset.item input:checked").length;
      out.textContent = out.dataset.template.replace("{n}", answered);
    });
  }

  function enhance(scope) {
    scope.querySelectorAll("input[data-suggest]").forEach(setupCombo);
    scope.querySelectorAll("button[data-save]").forEach(setupSave);
    var saved = scope.querySelector("#saved");
    if (saved) showSaved(saved);
    var quiz = scope.querySelector("#quiz-form");
    if (quiz) setupQuiz(quiz);
  }

  var filters = document.getElementById("filters");
  if (filters && narrow.matches) filters.open = false;
  enhance(document);
})();
