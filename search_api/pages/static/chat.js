// The counsellor chat, loaded on /chat only. Without this file the forms post to /chat and the
// server renders the conversation; with it, questions go to the agent API from here and the
// replies are added in place. A signed-in student's page names /chat/agent instead of
// /api/v1/agent (see search_api/pages/chat.py): same requests, cookie session plus CSRF header.
(function () {
  "use strict";
  var box = document.getElementById("chat");
  if (!box) return;
  var d = box.dataset;
  var base = d.api;
  var log = document.getElementById("chat-log");
  var form = document.getElementById("chat-form");
  var input = document.getElementById("chat-message");
  var send = document.getElementById("chat-send");
  var follow = document.getElementById("chat-follow");
  var followList = follow.querySelector(".follow-list");
  var problem = document.getElementById("chat-problem");
  var plan = document.getElementById("chat-plan");
  var csrf = form.elements.csrf.value;
  var names = {};
  try { names = JSON.parse(document.getElementById("chat-names").textContent || "{}"); } catch (e) { /* ids stand in */ }
  // one conversation per tab, as the server's no-JS form keeps one per page
  var KEY = "cc_chat_session:" + base;
  var busy = false;

  function el(tag, cls, text) {
    var n = document.createElement(tag);
    if (cls) n.className = cls;
    if (text != null) n.textContent = text;
    return n;
  }

  function showProblem(text) {
    problem.textContent = "";
    if (!text) return;
    var b = el("div", "banner error");
    b.setAttribute("role", "alert");
    b.appendChild(el("p", null, text));
    problem.appendChild(b);
  }

  function call(method, path, body) {
    var headers = { "Accept": "application/json" };
    if (body) headers["Content-Type"] = "application/json";
    if (method === "POST") headers["X-CSRF-Token"] = csrf;
    return fetch(base + path, {
      method: method, headers: headers, credentials: "same-origin",
      body: body ? JSON.stringify(body) : undefined
    }).then(function (res) {
      return res.json().catch(function () { return {}; }).then(function (json) {
        if (!res.ok || !json.success) {
          var err = new Error((json.error && json.error.code) || "HTTP " + res.status);
          err.status = res.status;
          throw err;
        }
        return json.data;
      });
    });
  }

  function session(fresh) {
    var sid = fresh ? null : sessionStorage.getItem(KEY);
    if (sid) return Promise.resolve(sid);
    return call("POST", "/session").then(function (data) {
      sessionStorage.setItem(KEY, data.session_id);
      return data.session_id;
    });
  }

  function addTurn(role, text, careers) {
    var turn = el("div", "turn " + role);
    turn.appendChild(el("p", "who", role === "user" ? d.you : d.agent));
    var p = turn.appendChild(el("p", "text", text));
    // the agent answers in English, whatever the interface language
    if (role === "agent") p.lang = "en";
    if (careers && careers.length) {
      turn.appendChild(el("p", "cited-label", d.cited));
      var ul = el("ul", "cited");
      careers.forEach(function (id) {
        var li = el("li");
        var a = el("a", null, names[id] || id);
        a.href = "/careers/" + encodeURIComponent(id);
        li.appendChild(a);
        ul.appendChild(li);
      });
      turn.appendChild(ul);
    }
    log.appendChild(turn);
    turn.scrollIntoView({ block: "nearest" });
    return turn;
  }

  function setFollowUps(list) {
    followList.textContent = "";
    (list || []).forEach(function (text) {
      var b = el("button", /^Make a plan/.test(text) ? "primary plan-offer" : null, text);
      b.type = "submit";
      b.name = "message";
      b.value = text;
      followList.appendChild(b);
    });
    follow.hidden = !followList.children.length;
  }

  function showPlan(data, sid) {
    return call("GET", "/career-plan/" + data.plan_id + "?session_id=" + encodeURIComponent(sid))
      .then(function (p) {
        var doc = p.plan;
        var h = plan.querySelector("h2");
        h.textContent = h.textContent.split(":")[0] + ": ";
        var a = el("a", null, doc.career.name);
        a.href = "/careers/" + encodeURIComponent(doc.career.id);
        h.appendChild(a);
        var ol = plan.querySelector("ol");
        ol.textContent = "";
        doc.milestones.forEach(function (m) {
          var li = el("li");
          li.appendChild(el("span", "date", m.target_date || ""));
          li.appendChild(document.createTextNode(" " + m.title));
          ol.appendChild(li);
        });
        plan.hidden = false;
      });
  }

  function ask(message, retried) {
    var text = message.trim();
    if (!text || busy) return;
    if (text.length > 2000) { showProblem(d.bad); return; }
    busy = true;
    send.disabled = true;
    box.setAttribute("aria-busy", "true");
    showProblem("");
    if (!retried) addTurn("user", text);
    var pending = addTurn("agent pending", d.thinking);
    var sid;
    return session(retried)
      .then(function (s) { sid = s; return call("POST", "/chat", { session_id: s, message: text }); })
      .then(function (data) {
        pending.remove();
        addTurn("agent", data.reply, data.careers);
        setFollowUps(data.follow_ups);
        if (data.plan_id) return showPlan(data, sid);
      })
      .then(function () { input.value = ""; }, function (err) {
        pending.remove();
        if ((err.status === 404 || err.status === 410) && !retried) {
          // the conversation ran out (or belongs to someone who signed out): start afresh
          sessionStorage.removeItem(KEY);
          busy = false;
          return ask(text, true);
        }
        showProblem(err.status === 429 ? d.busy : err.status === 422 ? d.bad
          : err.status === 403 ? d.formExpired : d.down);
      })
      .finally(function () {
        busy = false;
        send.disabled = false;
        box.removeAttribute("aria-busy");
      });
  }

  function submitted(event, text) {
    event.preventDefault();
    ask(text);
    input.focus();
  }

  form.addEventListener("submit", function (e) { submitted(e, input.value); });
  follow.addEventListener("submit", function (e) {
    var b = e.submitter || document.activeElement;
    submitted(e, (b && b.value) || "");
  });
  input.addEventListener("keydown", function (e) {
    if (e.key === "Enter" && !e.shiftKey && !e.isComposing) submitted(e, input.value);
  });
})();
