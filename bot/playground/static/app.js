// The playground chat page: one Telegram user talking to the bot through the local stand-in.
// Bot messages arrive as sanitised HTML from the stand-in (only Telegram's tags survive), so
// they can be shown with innerHTML; everything the user typed is shown as text.
"use strict";

const params = new URLSearchParams(location.search);
const user = {
  user_id: Number(params.get("user") || localStorage.getItem("icc-user") || 1001),
  first_name: params.get("name") || "Playground",
  language_code: params.get("lang") || (navigator.language || "en").slice(0, 2),
};
localStorage.setItem("icc-user", String(user.user_id));

const log = document.getElementById("log");
const nodes = new Map();  // message_id -> element
let since = 0;

function render(msg) {
  const el = document.createElement("div");
  el.className = "msg " + (msg.from_bot ? "bot" : "user");
  el.dataset.messageId = msg.message_id;
  if (msg.photo) {
    const img = document.createElement("img");
    img.src = "/api/file/" + msg.photo.file_id;
    img.alt = msg.photo.filename;
    img.addEventListener("load", () => { log.scrollTop = log.scrollHeight; });
    el.append(img);
  }
  if (msg.document) {
    const a = document.createElement("a");
    a.className = "doc";
    a.href = "/api/file/" + msg.document.file_id;
    a.textContent = "File: " + msg.document.filename;
    el.append(a, document.createElement("br"));
  }
  const body = document.createElement("span");
  body.className = "body";
  body.innerHTML = msg.html;
  el.append(body);
  if (msg.edited) {
    const mark = document.createElement("span");
    mark.className = "edited";
    mark.textContent = "edited";
    el.append(mark);
  }
  if (msg.buttons.length) {
    const kb = document.createElement("div");
    kb.className = "keyboard";
    for (const row of msg.buttons) {
      const r = document.createElement("div");
      r.className = "row";
      for (const b of row) {
        let btn;
        if (b.url) {
          btn = document.createElement("a");
          btn.href = b.url; btn.target = "_blank"; btn.rel = "noopener";
        } else {
          btn = document.createElement("button");
          btn.type = "button";
          btn.dataset.callback = b.callback_data;
          btn.addEventListener("click", () => post("/api/press", { message_id: msg.message_id, data: b.callback_data }));
        }
        btn.textContent = b.text;
        r.append(btn);
      }
      kb.append(r);
    }
    el.append(kb);
  }
  return el;
}

function show(msg) {
  const el = render(msg);
  const old = nodes.get(msg.message_id);
  if (old) old.replaceWith(el); else log.append(el);
  nodes.set(msg.message_id, el);
  log.scrollTop = log.scrollHeight;
}

async function post(path, body) {
  const res = await fetch(path, {
    method: "POST", headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ ...user, ...body }),
  });
  if (!res.ok) toast(await res.text());
}

function toast(text) {
  const t = document.createElement("div");
  t.className = "toast";
  t.textContent = text;
  log.append(t);
  setTimeout(() => t.remove(), 4000);
}

async function poll() {
  for (;;) {
    try {
      const res = await fetch(`/api/messages?chat_id=${user.user_id}&since=${since}`);
      if (!res.ok) throw new Error(res.statusText);
      const data = await res.json();
      for (const msg of data.messages) {
        show(msg);
        since = Math.max(since, msg.version);
      }
      for (const t of data.toasts) {
        toast(t.text);
        since = Math.max(since, t.version);
      }
    } catch (err) {
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
}

document.getElementById("composer").addEventListener("submit", async (event) => {
  event.preventDefault();
  const input = document.getElementById("text");
  const text = input.value.trim();
  if (!text) return;
  input.value = "";
  await post("/api/send", { text });
});

document.getElementById("file").addEventListener("change", async (event) => {
  const file = event.target.files[0];
  if (!file) return;
  const form = new FormData();
  for (const [k, v] of Object.entries(user)) form.append(k, String(v));
  form.append("file", file, file.name);
  const res = await fetch("/api/upload", { method: "POST", body: form });
  if (!res.ok) toast(await res.text());
  event.target.value = "";
});

poll();
