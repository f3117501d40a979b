/// The customer-facing chat widget: the script a site adds with one tag
/// (`<script src="https://hub.example/webhooks/<channel id>/widget.js" async></script>`). Plain
/// JavaScript, no build step: it opens a chat panel, posts the visitor's messages and shows the
/// agents' replies as they arrive over Server-Sent Events.
enum WidgetScript {
    static let javaScript = #"""
        (function () {
          "use strict";
          // Captured at once: document.currentScript is null once this first run is over.
          var script = document.currentScript;
          if (!script) {
            var candidates = document.querySelectorAll("script[src]");
            for (var i = candidates.length - 1; i >= 0 && !script; i--) {
              if (/\/widget\.js(\?|#|$)/.test(candidates[i].src)) script = candidates[i];
            }
          }
          if (!script || window.__sbChatLoaded) return;
          window.__sbChatLoaded = true;
          var base = script.src.replace(/[?#].*$/, "").replace(/\/widget\.js$/, "");
          var tokenKey = "sb-chat-token:" + base;
          var transcriptKey = "sb-chat-transcript:" + base;
          var maxEntries = 100;

          function load(key) {
            try { return window.localStorage.getItem(key); } catch (e) { return null; }
          }
          function save(key, value) {
            try { window.localStorage.setItem(key, value); } catch (e) { /* storage full or blocked */ }
          }
          function readTranscript() {
            try {
              var list = JSON.parse(load(transcriptKey) || "[]");
              return Array.isArray(list) ? list : [];
            } catch (e) { return []; }
          }
          function randomID() {
            if (window.crypto && typeof window.crypto.randomUUID === "function") return window.crypto.randomUUID();
            var out = "";
            for (var n = 0; n < 32; n++) out += Math.floor(Math.random() * 16).toString(16);
            return out.slice(0, 8) + "-" + out.slice(8, 12) + "-4" + out.slice(13, 16) + "-a" + out.slice(17, 20) +
              "-" + out.slice(20);
          }

          var css = [
            "#sb-chat-open,#sb-chat-panel{font:15px/1.4 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;",
            "box-sizing:border-box;z-index:2147483000;position:fixed;right:16px;color:#1b1f24}",
            "#sb-chat-panel *{box-sizing:border-box;font:inherit}",
            "#sb-chat-open{bottom:16px;padding:12px 18px;border:0;border-radius:24px;background:#1f5fbf;",
            "color:#fff;font-weight:600;cursor:pointer;box-shadow:0 2px 8px rgba(0,0,0,.25)}",
            "#sb-chat-open:focus-visible,#sb-chat-panel button:focus-visible{outline:3px solid #ffbf47;outline-offset:2px}",
            "#sb-chat-panel{bottom:72px;width:360px;max-width:calc(100vw - 16px);max-height:calc(100vh - 96px);",
            "display:flex;flex-direction:column;background:#fff;border:1px solid #c9d1da;border-radius:12px;",
            "box-shadow:0 6px 24px rgba(0,0,0,.2);overflow:hidden}",
            "#sb-chat-panel[hidden]{display:none}",
            "#sb-chat-panel header{display:flex;align-items:center;justify-content:space-between;",
            "padding:10px 14px;background:#1f5fbf;color:#fff}",
            "#sb-chat-panel h2{margin:0;font-size:16px;font-weight:600}",
            "#sb-chat-panel .sb-close{background:none;border:0;color:#fff;font-size:22px;line-height:1;",
            "cursor:pointer;padding:2px 8px}",
            "#sb-chat-log{flex:1 1 auto;min-height:120px;max-height:320px;overflow-y:auto;padding:10px 12px;",
            "background:#f5f7fa;display:flex;flex-direction:column;gap:8px}",
            ".sb-msg{max-width:85%;padding:8px 10px;border-radius:10px;white-space:pre-wrap;overflow-wrap:anywhere}",
            ".sb-visitor{align-self:flex-end;background:#1f5fbf;color:#fff}",
            ".sb-agent{align-self:flex-start;background:#fff;border:1px solid #d5dbe2}",
            "#sb-chat-log .sb-author{display:block;font-size:12px;font-weight:600;color:#4a5561;margin-bottom:2px}",
            "#sb-chat-form{padding:10px 12px;display:flex;flex-direction:column;gap:4px}",
            "#sb-chat-form label{font-size:13px;font-weight:600;color:#3b4450}",
            "#sb-chat-email,#sb-chat-input{width:100%;padding:7px 9px;border:1px solid #8a96a3;border-radius:6px;",
            "background:#fff;color:#1b1f24}",
            "#sb-chat-input{resize:vertical;min-height:44px}",
            "#sb-chat-send{align-self:flex-end;margin-top:4px;padding:8px 18px;border:0;border-radius:6px;",
            "background:#1f5fbf;color:#fff;font-weight:600;cursor:pointer}",
            "#sb-chat-send[disabled]{opacity:.6;cursor:progress}",
            "#sb-chat-error{margin:0;color:#b3261e;font-size:13px;min-height:0}",
            "#sb-chat-error:empty{display:none}",
            "@media (max-width:480px){#sb-chat-panel{right:8px;left:8px;width:auto;bottom:68px}",
            "#sb-chat-log{max-height:45vh}}"
          ].join("");

          function element(tag, attributes, text) {
            var node = document.createElement(tag);
            Object.keys(attributes || {}).forEach(function (name) { node.setAttribute(name, attributes[name]); });
            if (text) node.textContent = text;
            return node;
          }

          function start() {
            var style = element("style");
            style.textContent = css;
            document.head.appendChild(style);

            var launcher = element("button", {
              id: "sb-chat-open", type: "button", "aria-expanded": "false", "aria-controls": "sb-chat-panel"
            }, "Chat with us");
            var panel = element("section", { id: "sb-chat-panel", "aria-label": "Chat" });
            panel.hidden = true;
            var header = element("header");
            header.appendChild(element("h2", {}, "Chat with us"));
            var close = element("button", { type: "button", class: "sb-close", "aria-label": "Close chat" }, "\u00d7");
            header.appendChild(close);
            var log = element("div", { id: "sb-chat-log", role: "log", "aria-live": "polite" });
            var form = element("div", { id: "sb-chat-form" });
            var email = element("input", { id: "sb-chat-email", type: "email", autocomplete: "email" });
            var input = element("textarea", { id: "sb-chat-input", rows: "2" });
            var send = element("button", { id: "sb-chat-send", type: "button" }, "Send");
            var error = element("p", { id: "sb-chat-error", role: "alert" });
            form.appendChild(element("label", { for: "sb-chat-email" }, "Your email (optional)"));
            form.appendChild(email);
            form.appendChild(element("label", { for: "sb-chat-input" }, "Message"));
            form.appendChild(input);
            form.appendChild(error);
            form.appendChild(send);
            panel.appendChild(header);
            panel.appendChild(log);
            panel.appendChild(form);
            document.body.appendChild(panel);
            document.body.appendChild(launcher);

            var transcript = readTranscript();
            var seen = {};
            var events = null;
            var retryDelay = 2000;
            var sending = false;
            var pending = null; // { text, clientID }: a failed send retried with the same client_id

            function show(entry) {
              var box = element("div", { class: "sb-msg " + (entry.from === "agent" ? "sb-agent" : "sb-visitor") });
              if (entry.id) box.setAttribute("data-id", entry.id);
              if (entry.from === "agent") box.appendChild(element("span", { class: "sb-author" }, entry.author || "Agent"));
              box.appendChild(document.createTextNode(entry.text || ""));
              if (entry.at) box.title = new Date(entry.at).toLocaleString();
              log.appendChild(box);
              log.scrollTop = log.scrollHeight;
            }
            function record(entry) {
              if (entry.id) seen[entry.id] = true;
              transcript.push(entry);
              if (transcript.length > maxEntries) transcript = transcript.slice(transcript.length - maxEntries);
              save(transcriptKey, JSON.stringify(transcript));
              show(entry);
            }
            transcript = transcript.filter(function (entry) { return entry && typeof entry === "object"; });
            transcript.forEach(function (entry) {
              if (entry.id) seen[entry.id] = true;
              show(entry);
            });

            function setOpen(open) {
              panel.hidden = !open;
              launcher.setAttribute("aria-expanded", open ? "true" : "false");
              if (open) {
                log.scrollTop = log.scrollHeight;
                input.focus();
              } else {
                launcher.focus();
              }
            }
            launcher.addEventListener("click", function () { setOpen(panel.hidden); });
            close.addEventListener("click", function () { setOpen(false); });
            // Escape closes the panel while focus is in it or on the launcher.
            document.addEventListener("keydown", function (event) {
              if (event.key !== "Escape" || panel.hidden) return;
              if (panel.contains(document.activeElement) || document.activeElement === launcher) {
                event.preventDefault();
                setOpen(false);
              }
            });

            function listen() {
              var token = load(tokenKey);
              if (!token || events || typeof window.EventSource !== "function") return;
              events = new EventSource(base + "/events?visitor=" + encodeURIComponent(token), { withCredentials: true });
              events.addEventListener("open", function () { retryDelay = 2000; });
              events.addEventListener("reply", function (event) {
                var reply;
                try { reply = JSON.parse(event.data); } catch (e) { return; }
                var id = reply.id || event.lastEventId;
                if (!id || seen[id]) return;
                record({ id: id, from: "agent", text: String(reply.text || ""), author: reply.author || "",
                  at: reply.at || new Date().toISOString() });
                acknowledge(id);
              });
              events.addEventListener("error", function () {
                // EventSource reconnects by itself (with Last-Event-ID); once it gives up (CLOSED: the
                // hub answered with an error), start again later with a fresh connection.
                if (events && events.readyState === 2) {
                  events.close();
                  events = null;
                  setTimeout(listen, retryDelay);
                  retryDelay = Math.min(retryDelay * 2, 300000);
                }
              });
            }

            // Tells the hub which replies this page has shown (their delivery state becomes
            // "delivered"), a moment later and several at once.
            var receipts = [];
            var receiptTimer = null;
            function acknowledge(id) {
              receipts.push(id);
              if (receiptTimer) return;
              receiptTimer = setTimeout(function () {
                var ids = receipts;
                receipts = [];
                receiptTimer = null;
                var headers = { "Content-Type": "application/json" };
                var token = load(tokenKey);
                if (token) headers["X-Switchboard-Visitor"] = token;
                fetch(base + "/receipts", {
                  method: "POST", credentials: "include", headers: headers, body: JSON.stringify({ ids: ids })
                }).catch(function () { /* a receipt is a nicety; the reply is shown either way */ });
              }, 500);
            }

            function submit() {
              var text = input.value.trim();
              if (sending) return;
              if (!text) { error.textContent = "Please type a message."; input.focus(); return; }
              if (!pending || pending.text !== text) pending = { text: text, clientID: randomID() };
              var body = { text: text, client_id: pending.clientID };
              var address = email.value.trim();
              if (address) body.email = address;
              var headers = { "Content-Type": "application/json" };
              var token = load(tokenKey);
              if (token) headers["X-Switchboard-Visitor"] = token;
              sending = true;
              send.disabled = true;
              error.textContent = "";
              fetch(base + "/messages", {
                method: "POST", credentials: "include", headers: headers, body: JSON.stringify(body)
              }).then(function (response) {
                return response.text().then(function (raw) {
                  var data = null;
                  try { data = raw ? JSON.parse(raw) : null; } catch (e) { data = null; }
                  if (!response.ok) {
                    var message = data && data.error ? String(data.error)
                      : "Your message could not be sent (" + response.status + "). Please try again.";
                    throw new Error(message);
                  }
                  return data || {};
                });
              }).then(function (data) {
                if (data.token && data.token !== token) {
                  save(tokenKey, data.token);
                  if (events) { events.close(); events = null; }
                }
                pending = null;
                input.value = "";
                record({ id: data.message_id || body.client_id, from: "visitor", text: text, author: "",
                  at: new Date().toISOString() });
                listen();
              }).catch(function (failure) {
                error.textContent = failure && failure.message && !(failure instanceof TypeError)
                  ? failure.message : "The chat could not be reached. Please try again.";
              }).then(function () {
                sending = false;
                send.disabled = false;
              });
            }
            send.addEventListener("click", submit);
            input.addEventListener("keydown", function (event) {
              if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
                event.preventDefault();
                submit();
              }
            });

            listen();
          }

          if (document.readyState === "loading") {
            document.addEventListener("DOMContentLoaded", start);
          } else {
            start();
          }
        })();
        """#
}
