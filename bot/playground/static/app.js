// The playground chat page: one Telegram user talking to the bot through the local stand-in.
// Bot messages arrive as sanitised HTML from the stand-in (only Telegram's tags survive), so
// they can be shown with innerHTML; everything the user typed is shown as text.
"use strict";

// Who this page talks as is the server's decision: /api/session issues the browser's session
// (an HttpOnly cookie) and tells the page its user and the CSRF token every write must carry.
// ?name= and ?lang= only shape a new session's profile; ?admin=KEY (the link the server prints
// when started with --demo-admin) opens the secretariat's demo session.
const params = new URLSearchParams(location.search);
let session = null;

// The page's own words, in the officer's language (the bot's replies follow the same language
// code); any other language falls back to English.
const LABELS = {
  en: {
    hint: "Playground: the real bot behind a local stand-in for Telegram",
    file: "File", attach: "Send a file", send: "Send", message: "Message",
    placeholder: "Ask a question, or type /start",
    admin: "You are the secretariat (demo admin)", you: "You are ", edited: "edited",
    noSession: "No playground session: ",
  },
  fr: {
    hint: "Bac à sable : le vrai bot, derrière une imitation locale de Telegram",
    file: "Fichier", attach: "Envoyer un fichier", send: "Envoyer", message: "Message",
    placeholder: "Posez une question, ou tapez /start",
    admin: "Vous êtes le secrétariat (administrateur de démonstration)", you: "Vous êtes ",
    edited: "modifié", noSession: "Pas de session du bac à sable : ",
  },
};
let words = LABELS.en;

function label(language) {
  const code = (language || "").slice(0, 2).toLowerCase();
  words = LABELS[code] || LABELS.en;
  document.documentElement.lang = LABELS[code] ? code : "en";
  for (const el of document.querySelectorAll("[data-label]")) {
    el.textContent = words[el.dataset.label];
  }
  document.querySelector("label.attach").title = words.attach;
  const text = document.getElementById("text");
  text.placeholder = words.placeholder;
  text.setAttribute("aria-label", words.message);
}
label(params.get("lang") || navigator.language);

async function openSession() {
  const query = new URLSearchParams({
    name: params.get("name") || "",
    lang: params.get("lang") || (navigator.language || "en").slice(0, 2),
  });
  if (params.get("admin")) query.set("admin", params.get("admin"));
  const res = await fetch("/api/session?" + query, { credentials: "same-origin" });
  if (!res.ok) throw new Error(await res.text());
  session = await res.json();
  if (params.has("admin")) {  // keep the key out of the address bar, bookmarks and history
    params.delete("admin");
    const rest = params.toString();
    history.replaceState(null, "", location.pathname + (rest ? "?" + rest : ""));
  }
  label(session.language_code);
  const who = document.getElementById("who");
  who.textContent = session.demo_admin ? words.admin : words.you + session.first_name;
  document.body.dataset.userId = String(session.user_id);
}

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
    a.textContent = words.file + ": " + msg.document.filename;
    el.append(a, document.createElement("br"));
  }
  const body = document.createElement("span");
  body.className = "body";
  body.innerHTML = msg.html;
  el.append(body);
  if (msg.edited) {
    const mark = document.createElement("span");
    mark.className = "edited";
    mark.textContent = words.edited;
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
  await ready;
  const res = await fetch(path, {
    method: "POST",
    credentials: "same-origin",
    headers: { "Content-Type": "application/json", "X-CSRF-Token": session.csrf_token },
    body: JSON.stringify(body),
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
      const res = await fetch(`/api/messages?since=${since}`, { credentials: "same-origin" });
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
  await ready;
  const form = new FormData();
  form.append("file", file, file.name);
  const res = await fetch("/api/upload", {
    method: "POST",
    credentials: "same-origin",
    headers: { "X-CSRF-Token": session.csrf_token },
    body: form,
  });
  if (!res.ok) toast(await res.text());
  event.target.value = "";
});

// Writes wait for the session, so a message typed while the page loads is not lost.
const ready = openSession();
ready.then(poll, (err) => toast(words.noSession + err.message));
