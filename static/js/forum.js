// During the forum: stars (My agenda), now and next, online links.
// Pages work without this script: stars are forms, the now board lists every session, the
// online link has its own page. Visitors' stars are kept in this browser (localStorage) and
// added to their account once they sign in; a cached public page never holds anyone's stars.

const STORE = "portal.agenda.stars";
const body = document.body;
const signedIn = body.hasAttribute("data-signed-in");

function storedStars() {
  try {
    const value = JSON.parse(window.localStorage.getItem(STORE) || "[]");
    return new Set(Array.isArray(value) ? value.map(Number).filter(Number.isInteger) : []);
  } catch {
    return new Set();
  }
}

function storeStars(stars) {
  try {
    if (stars.size) window.localStorage.setItem(STORE, JSON.stringify([...stars]));
    else window.localStorage.removeItem(STORE);
  } catch {
    // Storage refused (private mode): the star stays for this page only.
  }
}

function paint(stars) {
  for (const form of document.querySelectorAll("form.star-form[data-session]")) {
    const button = form.querySelector(".star-button");
    if (button) button.setAttribute("aria-pressed", String(stars.has(Number(form.dataset.session))));
  }
}

function csrfOf(form) {
  const input = form.querySelector('input[name="csrfmiddlewaretoken"]');
  return input ? input.value : body.dataset.csrf || "";
}

async function toggleOnServer(form, button) {
  const starred = button.getAttribute("aria-pressed") !== "true";
  const data = new FormData();
  data.set("starred", starred ? "1" : "0");
  button.disabled = true;
  try {
    const response = await fetch(form.action, {
      method: "POST",
      body: data,
      headers: { Accept: "application/json", "X-CSRFToken": csrfOf(form) },
      credentials: "same-origin",
    });
    if (!response.ok) throw new Error(String(response.status));
    const answer = await response.json();
    button.setAttribute("aria-pressed", String(answer.starred));
  } catch {
    form.submit(); // the form's own way: a full request
  } finally {
    button.disabled = false;
  }
}

function setUpStars() {
  const forms = document.querySelectorAll("form.star-form[data-session]");
  if (!signedIn) paint(storedStars());
  for (const form of forms) {
    if (form.dataset.ready) continue;
    form.dataset.ready = "1";
    form.addEventListener("submit", (event) => {
      const button = form.querySelector(".star-button");
      if (!button) return;
      event.preventDefault();
      if (signedIn) {
        toggleOnServer(form, button);
        return;
      }
      const stars = storedStars();
      const id = Number(form.dataset.session);
      if (stars.has(id)) stars.delete(id);
      else stars.add(id);
      storeStars(stars);
      paint(stars);
    });
  }
}

async function mergeAfterSignIn() {
  const stars = storedStars();
  const url = body.dataset.starMerge;
  if (!signedIn || !url || !stars.size) return;
  try {
    const response = await fetch(url, {
      method: "POST",
      body: JSON.stringify({ sessions: [...stars] }),
      headers: {
        "Content-Type": "application/json",
        Accept: "application/json",
        "X-CSRFToken": body.dataset.csrf || "",
      },
      credentials: "same-origin",
    });
    if (!response.ok) return; // kept in the browser: the next page tries again
    const answer = await response.json();
    storeStars(new Set());
    paint(new Set(answer.starred));
    if (document.querySelector(".my-agenda") && !document.getElementById("visitor-agenda")) {
      window.location.reload(); // My agenda lists what the account now holds
    }
  } catch {
    // Offline: try again on the next page.
  }
}

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

async function drawVisitorAgenda() {
  const box = document.getElementById("visitor-agenda");
  if (!box) return;
  const stars = storedStars();
  box.replaceChildren();
  if (!stars.size) {
    box.append(element("p", "visitor-agenda-empty", box.dataset.empty));
    return;
  }
  const response = await fetch(`${box.dataset.sessionsSrc}?ids=${[...stars].join(",")}`, {
    headers: { Accept: "application/json" },
  });
  if (!response.ok) return;
  const { sessions } = await response.json();
  if (!sessions.length) {
    box.append(element("p", "visitor-agenda-empty", box.dataset.empty));
    return;
  }
  let list = null;
  let heading = "";
  for (const session of sessions) {
    const title = `${session.event} · ${session.day}`;
    if (title !== heading) {
      heading = title;
      box.append(element("h2", "h5 agenda-day-title", title));
      list = element("ol", "list-unstyled agenda-sessions");
      box.append(list);
    }
    const row = element("li", "agenda-session");
    row.dataset.session = session.id;
    row.dataset.start = session.start;
    row.dataset.end = session.end;
    row.append(element("div", "agenda-time", session.time));
    const text = element("div", "agenda-body");
    const name = element("h3", "h6 mb-1");
    const link = element("a", "", session.title);
    link.href = session.url;
    name.append(link);
    text.append(name);
    if (session.room) text.append(element("p", "session-meta mb-0", session.room));
    row.append(text);
    const form = element("form", "star-form no-print");
    form.method = "get";
    form.action = session.star_url;
    form.dataset.session = session.id;
    const button = element("button", "btn btn-sm star-button");
    button.type = "submit";
    button.setAttribute("aria-pressed", "true");
    button.append(element("span", "star-icon"));
    button.firstChild.setAttribute("aria-hidden", "true");
    button.append(element("span", "visually-hidden", `${box.dataset.labelStar} ${session.title}`));
    form.append(button);
    row.append(form);
    list.append(row);
  }
  setUpStars();
  markNowAndNext();
}

// --- Now and next ------------------------------------------------------------------------------

function rowsOf(container) {
  return [...container.querySelectorAll(".agenda-session[data-start][data-end]")].map((row) => ({
    row,
    start: Date.parse(row.dataset.start),
    end: Date.parse(row.dataset.end),
    room: row.dataset.room || "",
  }));
}

function mark(row, kind, label) {
  row.classList.remove("is-now", "is-next");
  row.querySelector(":scope .forum-mark")?.remove();
  if (!kind) return;
  row.classList.add(kind === "now" ? "is-now" : "is-next");
  const badge = element("span", "forum-mark", label);
  const place = row.querySelector(".agenda-time") || row;
  place.append(badge);
}

function markNowAndNext() {
  const now = Date.now();
  for (const container of document.querySelectorAll("[data-now-next], [data-now-board]")) {
    const rows = rowsOf(container);
    const next = new Map();
    for (const item of rows) {
      if (item.start > now) {
        const known = next.get(item.room);
        if (!known || item.start < known.start) next.set(item.room, item);
      }
    }
    for (const item of rows) {
      if (item.start <= now && now < item.end) mark(item.row, "now", container.dataset.labelNow);
      else if (next.get(item.room) === item) mark(item.row, "next", container.dataset.labelNext);
      else mark(item.row, null);
    }
    if (container.hasAttribute("data-now-board")) container.setAttribute("data-ready", "");
  }
}

function openOnToday() {
  if (window.location.hash || new URLSearchParams(window.location.search).has("day")) return;
  const now = Date.now();
  for (const day of document.querySelectorAll(".agenda-day[data-day-start][data-day-end]")) {
    if (Date.parse(day.dataset.dayStart) <= now && now < Date.parse(day.dataset.dayEnd)) {
      day.classList.add("is-today");
      day.scrollIntoView({ block: "start" });
      return;
    }
  }
}

async function refreshBoard(board) {
  // The venue's screen shows changes (a room moved) without a reload of the page.
  try {
    const response = await fetch(board.dataset.refreshSrc, { headers: { Accept: "text/html" } });
    if (!response.ok) return;
    const page = new DOMParser().parseFromString(await response.text(), "text/html");
    const rooms = page.getElementById("now-rooms");
    if (rooms) document.getElementById("now-rooms").replaceWith(document.adoptNode(rooms));
    markNowAndNext();
  } catch {
    // Offline for a moment: the board keeps what it has.
  }
}

// --- Online links ------------------------------------------------------------------------------

async function loadOnlineLinks() {
  for (const place of document.querySelectorAll("[data-online-src]")) {
    try {
      const response = await fetch(place.dataset.onlineSrc, {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      });
      if (!response.ok) continue;
      const answer = await response.json();
      place.replaceChildren();
      if (answer.url) {
        const link = element("a", "btn btn-primary btn-sm session-online-link", answer.message);
        link.href = answer.url;
        link.rel = "noopener";
        place.append(link);
      } else {
        place.append(element("span", "session-online-note", answer.message));
        if (answer.sign_in_url) {
          const link = element("a", "ms-2", "");
          link.href = answer.sign_in_url;
          link.textContent = document.querySelector('a[href^="/accounts/login/"]')?.textContent || "→";
          place.append(link);
        }
      }
    } catch {
      // The link to the online page stays.
    }
  }
}

setUpStars();
mergeAfterSignIn();
drawVisitorAgenda();
markNowAndNext();
openOnToday();
loadOnlineLinks();
window.setInterval(markNowAndNext, 30_000);
document.addEventListener("visibilitychange", () => {
  if (!document.hidden) markNowAndNext();
});
const board = document.querySelector("[data-now-board]");
if (board) window.setInterval(() => refreshBoard(board), 60_000);
