// The desk's insights page (/desk/insights, handoff/templates/insights.html): the support team's
// figures over a range of days, as charts (Chart.js, bundled here by esbuild: the desk's
// Content-Security-Policy allows only its own scripts) and as tables beside them, which hold
// the same numbers for screen readers and for anyone the canvas can't show them to.
// Every word comes from the page (handoff/wording.yml, in support's language).
import {
  ArcElement, BarController, BarElement, CategoryScale, Chart, DoughnutController, Legend, LinearScale, Tooltip,
} from "chart.js";

Chart.register(ArcElement, BarController, BarElement, CategoryScale, DoughnutController, Legend, LinearScale, Tooltip);

const words = JSON.parse(document.getElementById("page-data").textContent);
const lang = document.documentElement.lang || "en";
const count = new Intl.NumberFormat(lang);
const percent = new Intl.NumberFormat(lang, { style: "percent", maximumFractionDigits: 1 });
const seconds = new Intl.NumberFormat(lang, { maximumFractionDigits: 1 });
const dayName = new Intl.DateTimeFormat(lang, { weekday: "short", day: "numeric", month: "short", timeZone: "UTC" });
const ACCENT = "#0b57d0";
// Told apart by more than their hue: each outcome's slice also has its name in the legend.
const OUTCOME_COLOURS = { resolved: "#1e7d3a", handed_over: ACCENT, abandoned: "#8a9099", ongoing: "#c77700" };
const charts = {};
const form = document.getElementById("range");
const from = document.getElementById("from");
const to = document.getElementById("to");
const status = document.getElementById("status");

function fill(template, values) {
  return Object.entries(values).reduce((text, [key, value]) => text.split(`{${key}}`).join(value), template);
}

function capitalised(text) {
  return text ? text.charAt(0).toLocaleUpperCase(lang) + text.slice(1) : text;
}

// A code as the lead reads it: reasons, topics, languages and channels in words.
const NAMES = {
  outcome: (key) => words.outcomes[key],
  reason: (key) => words.reasons[key],
  topic: (key) => capitalised(words.topics[key]),
  language: (key) => capitalised(words.languages[key]),
  channel: (key) => words.channels[key],
};

function named(kind, key) {
  return key === "unknown" ? words.unknown : NAMES[kind](key) || key;
}

function element(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  Object.entries(attributes).forEach(([key, value]) => node.setAttribute(key, value));
  children.forEach((child) => node.append(child));
  return node;
}

function duration(ms) {
  return ms === null ? words.none : fill(words.seconds, { seconds: seconds.format(ms / 1000) });
}

function share(rate) {
  return rate === null ? words.none : percent.format(rate);
}

// A headline: its value in words, and the exact figure in data-value (what the tests compare).
function tile(id, value, text, detail = "") {
  const node = document.getElementById(`tile-${id}`);
  node.dataset.value = value === null ? "" : String(value);
  node.querySelector(".value").textContent = text;
  node.querySelector(".detail").textContent = detail;
}

// A table's rows: each a key (data-key, the code) and its cells; the first names the row, and
// the numbers (every other cell, unless `numbers` says which) are right-aligned.
function rows(id, entries, numbers = null) {
  const body = document.querySelector(`#${id}-table tbody`);
  body.replaceChildren(...entries.map(({ key, cells }) => element("tr", { "data-key": key },
    ...cells.map((cell, index) => (index === 0 ? element("th", { scope: "row" }, cell)
      : element("td", (numbers ? numbers.includes(index) : true) ? { class: "number" } : {}, cell))))));
  if (!entries.length) {
    const columns = body.parentElement.querySelectorAll("thead th").length;
    body.append(element("tr", {}, element("td", { colspan: String(columns) }, words.nothing)));
  }
}

function draw(id, type, labels, values, options = {}) {
  const colours = options.colours || ACCENT;
  const config = {
    type,
    data: { labels, datasets: [{ data: values, backgroundColor: colours, borderWidth: type === "doughnut" ? 1 : 0 }] },
    options: {
      animation: false, responsive: true, maintainAspectRatio: false, indexAxis: options.horizontal ? "y" : "x",
      plugins: { legend: { display: type === "doughnut", position: "right" } },
      ...(type === "bar" ? { scales: { [options.horizontal ? "x" : "y"]: {
        beginAtZero: true, max: options.max, ticks: { precision: 0, callback: options.tick } } } } : {}),
    },
  };
  if (charts[id]) charts[id].destroy();
  charts[id] = new Chart(document.getElementById(`${id}-chart`), config);
}

// A long name on a few lines beside its bar (a handoff's reason is a sentence).
function wrapped(label, width = 30) {
  return label.split(" ").reduce((lines, word) => {
    const last = lines[lines.length - 1];
    if (last && `${last} ${word}`.length <= width) lines[lines.length - 1] = `${last} ${word}`;
    else lines.push(word);
    return lines;
  }, []);
}

function counted(id, kind, counts, options = {}) {
  const keys = Object.keys(counts);
  const labels = keys.map((key) => named(kind, key));
  draw(id, options.type || "bar", options.horizontal ? labels.map((label) => wrapped(label)) : labels,
    keys.map((key) => counts[key]), options);
  rows(id, keys.map((key, index) => ({ key, cells: [labels[index], count.format(counts[key])] })));
}

function satisfaction(id, kind, byKey) {
  const keys = Object.keys(byKey).sort((a, b) => byKey[b].rated - byKey[a].rated);
  const labels = keys.map((key) => named(kind, key));
  draw(id, "bar", labels, keys.map((key) => byKey[key].rate), { max: 1, tick: (value) => percent.format(value) });
  rows(id, keys.map((key, index) => ({ key, cells: [labels[index], count.format(byKey[key].rated),
    count.format(byKey[key].solved), share(byKey[key].rate)] })));
}

function show(figures) {
  tile("conversations", figures.conversations, count.format(figures.conversations));
  tile("resolution-rate", figures.resolution_rate, share(figures.resolution_rate),
    fill(words.resolved_of_ended, { resolved: count.format(figures.outcomes.resolved), ended: count.format(figures.ended) }));
  tile("csat", figures.csat.rate, share(figures.csat.rate),
    fill(words.csat_detail, { solved: count.format(figures.csat.solved), rated: count.format(figures.csat.rated) }));
  const answered = fill(words.first_answer_detail, { count: count.format(figures.first_answer_ms.count) });
  tile("first-answer-median", figures.first_answer_ms.median, duration(figures.first_answer_ms.median), answered);
  tile("first-answer-p90", figures.first_answer_ms.p90, duration(figures.first_answer_ms.p90), answered);
  const handed = figures.outcomes.handed_over;
  tile("handed-over", handed, count.format(handed), figures.conversations
    ? fill(words.handed_over_detail, { share: share(handed / figures.conversations) }) : "");

  const days = figures.volume.by_day;
  const dayLabels = days.map((d) => dayName.format(new Date(`${d.day}T00:00:00Z`)));
  draw("by-day", "bar", dayLabels, days.map((d) => d.count));
  rows("by-day", days.map((d, index) => ({ key: d.day, cells: [
    element("time", { datetime: d.day }, dayLabels[index]), count.format(d.count)] })));
  const outcomes = Object.fromEntries(Object.entries(figures.outcomes).filter(([, n]) => n > 0));
  counted("outcomes", "outcome", outcomes, { type: "doughnut", colours: Object.keys(outcomes).map((k) => OUTCOME_COLOURS[k]) });
  counted("reasons", "reason", figures.handoffs_by_reason, { horizontal: true });
  counted("by-topic", "topic", figures.volume.by_topic, { horizontal: true });
  counted("by-channel", "channel", figures.volume.by_channel);
  counted("by-language", "language", figures.volume.by_language);
  satisfaction("csat-language", "language", figures.csat.by_language);
  satisfaction("csat-channel", "channel", figures.csat.by_channel);
  rows("misunderstood", figures.misunderstood.map((m) => ({ key: m.text, cells: [
    m.text, count.format(m.count), m.language ? named("language", m.language) : words.unknown,
    m.guess ? named("topic", m.guess) : words.none] })), [1]);
}

// The range in the address too, so that a reload or a shared link shows the same days.
async function load() {
  const range = new URLSearchParams({ from: from.value, to: to.value });
  document.getElementById("csv").href = `/desk/api/insights.csv?${range}`;
  history.replaceState(null, "", `?${range}`);
  status.classList.remove("error");
  status.textContent = words.loading;
  try {
    const response = await fetch(`/desk/api/insights?${range}`, { credentials: "same-origin" });
    if (response.status === 401) { window.location = "/desk/login"; return; }
    const body = await response.json().catch(() => ({}));
    if (!response.ok) throw new Error(body.error || body.detail || String(response.status));
    show(body);
    status.textContent = fill(words.shown, { from: body.from, to: body.to });
  } catch (error) {
    status.classList.add("error");
    status.textContent = error.message;
  }
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  load();
});

// The presets end today, in UTC as the figures' days are (the page says which day that is).
form.querySelectorAll("button[data-days]").forEach((button) => button.addEventListener("click", () => {
  const today = new Date(`${document.body.dataset.today}T00:00:00Z`);
  const first = new Date(today.getTime() - (Number(button.dataset.days) - 1) * 86400000);
  from.value = first.toISOString().slice(0, 10);
  to.value = document.body.dataset.today;
  load();
}));

load();
