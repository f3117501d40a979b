// The web inbox's script: live updates over Server-Sent Events (/inbox/events), the reply box
// (checklist first, then send with fetch, no reload), and canned replies. Plain JavaScript, no
// build step. Every page works without it; it only makes pages live.
(function () {
  "use strict";
  var meta = document.querySelector('meta[name="csrf-token"]');
  if (!meta) return; // the login page
  var csrf = meta.getAttribute("content");

  function post(url, body) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: {
        "Accept": "application/json",
        "Content-Type": "application/x-www-form-urlencoded",
        "X-CSRF-Token": csrf
      },
      body: body
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (json) {
        if (!response.ok) throw new Error(json.error || ("the hub answered " + response.status));
        return json;
      });
    });
  }

  // Swaps in a fresh copy of a live part of the page; bursts of events make one request.
  var pending = {};
  function refresh(element, url) {
    if (!element || !url || pending[url]) return;
    pending[url] = setTimeout(function () {
      fetch(url, { credentials: "same-origin", headers: { "Accept": "text/html" } })
        .then(function (response) { return response.ok ? response.text() : null; })
        .then(function (html) {
          delete pending[url];
          if (html === null) return;
          var nearBottom = window.innerHeight + window.scrollY >= document.body.scrollHeight - 120;
          element.innerHTML = html;
          if (element.id === "timeline" && nearBottom) element.lastElementChild && element.lastElementChild.scrollIntoView({ block: "nearest" });
        })
        .catch(function () { delete pending[url]; });
    }, 150);
  }

  var timeline = document.getElementById("timeline");
  var rows = document.getElementById("conversation-rows");
  var list = document.getElementById("conversations");
  var page = document.querySelector(".conversation");
  var customerID = page ? page.getAttribute("data-customer-id") : null;

  function concernsThisPage(data) {
    if (!timeline) return true;
    if (data.customer_id && data.customer_id === customerID) return true;
    if (data.message_id && timeline.querySelector('[data-message-id="' + CSS.escape(data.message_id) + '"]')) return true;
    if (data.merge) return true;
    return false;
  }

  function onEvent(event) {
    var body;
    try { body = JSON.parse(event.data); } catch (e) { return; }
    var data = body.data || {};
    if (timeline && concernsThisPage(data)) refresh(timeline, timeline.getAttribute("data-live-timeline"));
    if (rows && list) refresh(rows, list.getAttribute("data-live-list"));
  }

  if (window.EventSource) {
    var source = new EventSource("/inbox/events");
    ["message.received", "message.edited", "message.delivery", "customer.merged", "customer.unmerged",
      "conversation.status", "conversation.updated"].forEach(function (name) { source.addEventListener(name, onEvent); });
    source.addEventListener("open", function () { document.documentElement.setAttribute("data-live", "connected"); });
  }

  // The reply box.
  var form = document.getElementById("reply-form");
  if (!form) return;
  var text = document.getElementById("reply-text");
  var button = document.getElementById("send-reply");
  var checklist = document.getElementById("checklist");
  var status = document.getElementById("reply-status");
  var channel = document.getElementById("reply-channel");
  var canned = document.getElementById("canned-reply");
  var confirmed = false;

  function reset() {
    confirmed = false;
    button.textContent = "Send";
    checklist.innerHTML = "";
  }
  text.addEventListener("input", function () { if (confirmed) reset(); });
  channel.addEventListener("change", function () { status.textContent = "This reply will leave on " + channel.value + "."; });
  canned.addEventListener("change", function () {
    var option = canned.options[canned.selectedIndex];
    var insert = option && option.getAttribute("data-text");
    if (insert) {
      text.value = text.value.trim() ? text.value + "\n\n" + insert : insert;
      reset();
      text.focus();
    }
    canned.selectedIndex = 0;
  });

  function send() {
    button.disabled = true;
    status.textContent = "Sending on " + channel.value + "…";
    post(form.getAttribute("action"), new URLSearchParams(new FormData(form)))
      .then(function () {
        text.value = "";
        reset();
        status.textContent = "Queued on " + channel.value + "; its delivery state updates below.";
        refresh(timeline, timeline.getAttribute("data-live-timeline"));
      })
      .catch(function (error) { status.textContent = "Not sent: " + error.message; })
      .then(function () { button.disabled = false; });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (!text.value.trim()) { status.textContent = "Write a reply first."; text.focus(); return; }
    if (confirmed) { send(); return; }
    button.disabled = true;
    post(form.getAttribute("data-check"), new URLSearchParams({ text: text.value }))
      .then(function (json) {
        button.disabled = false;
        var findings = json.findings || [];
        if (findings.length === 0) { send(); return; }
        checklist.innerHTML = "";
        findings.forEach(function (finding) {
          var item = document.createElement("li");
          item.className = "finding finding-" + finding.rule;
          item.textContent = finding.message;
          checklist.appendChild(item);
        });
        confirmed = true;
        button.textContent = "Send anyway";
        status.textContent = "Check the points above, then send anyway or edit the reply.";
      })
      .catch(function (error) { button.disabled = false; status.textContent = "Not checked: " + error.message; });
  });
})();
