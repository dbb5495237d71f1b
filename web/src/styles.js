// The widget's look, inside its shadow root so the host page's CSS and ours never mix.
// Colours come from the config as CSS custom properties.

export const STYLES = `
:host { all: initial; }
* { box-sizing: border-box; }
.root {
  --primary: #0b6e4f; --on-primary: #ffffff; --accent: #e8f3ee;
  --text: #1d2327; --muted: #5f6b73; --surface: #ffffff; --line: #e3e7ea; --bot: #f2f4f5;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  font-size: 15px; line-height: 1.45; color: var(--text);
}
.visually-hidden {
  position: absolute; width: 1px; height: 1px; padding: 0; margin: -1px; overflow: hidden;
  clip: rect(0 0 0 0); white-space: nowrap; border: 0;
}
button { font: inherit; cursor: pointer; }
:focus-visible { outline: 3px solid #1a73e8; outline-offset: 2px; }

.launcher {
  position: fixed; right: 20px; bottom: 20px; z-index: 2147483000;
  width: 60px; height: 60px; border-radius: 50%; border: none;
  background: var(--primary); color: var(--on-primary);
  box-shadow: 0 6px 20px rgba(0, 0, 0, .22); display: grid; place-items: center;
  transition: transform .15s ease;
}
.launcher:hover { transform: scale(1.05); }
.launcher svg { width: 28px; height: 28px; fill: currentColor; }
.badge {
  position: absolute; top: -4px; right: -4px; min-width: 22px; height: 22px; padding: 0 6px;
  border-radius: 11px; background: #d93025; color: #fff; font-size: 12px; font-weight: 700;
  display: grid; place-items: center; border: 2px solid #fff;
}
.badge[hidden] { display: none; }

.panel {
  position: fixed; right: 20px; bottom: 92px; z-index: 2147483001;
  width: 380px; height: min(620px, calc(100vh - 120px));
  background: var(--surface); border-radius: 16px; overflow: hidden;
  box-shadow: 0 12px 40px rgba(0, 0, 0, .25); display: flex; flex-direction: column;
}
.panel[hidden] { display: none; }
header {
  background: var(--primary); color: var(--on-primary); padding: 14px 12px 14px 18px;
  display: flex; align-items: center; gap: 10px;
}
.avatar {
  width: 36px; height: 36px; border-radius: 50%; background: rgba(255, 255, 255, .2);
  display: grid; place-items: center; flex: none;
}
.avatar svg { width: 20px; height: 20px; fill: currentColor; }
.heading { flex: 1; min-width: 0; }
.heading h2, .heading p { margin: 0; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.heading h2 { font-size: 16px; font-weight: 650; }
.heading p { font-size: 12.5px; opacity: .85; white-space: normal; }
.icon-button {
  background: transparent; border: none; color: inherit; width: 36px; height: 36px;
  border-radius: 8px; display: grid; place-items: center; flex: none;
}
.icon-button:hover { background: rgba(255, 255, 255, .15); }
.icon-button svg { width: 20px; height: 20px; fill: currentColor; }
.actions { border-top: 1px solid var(--line); padding: 6px 10px 0; }
.human {
  background: none; border: none; color: var(--primary); font-size: 13px; font-weight: 600;
  padding: 4px 6px; border-radius: 8px; display: inline-flex; align-items: center; gap: 6px;
}
.human:hover { background: var(--accent); }
.human[hidden] { display: none; }
.human svg { width: 16px; height: 16px; fill: currentColor; }

.status {
  font-size: 13px; padding: 7px 14px; background: #fff4e5; color: #7a4a00;
  border-bottom: 1px solid #f3dfc1;
}
.status.ok { background: var(--accent); color: var(--primary); border-color: var(--line); }
.status[hidden] { display: none; }
.person { margin: 0; padding: 4px 6px; color: var(--primary); font-size: 13px; font-weight: 600; }
.person[hidden] { display: none; }
.message.agent .bubble { border-left: 3px solid var(--primary); }
.meta .author { font-weight: 600; }

.log { flex: 1; overflow-y: auto; padding: 16px 14px 8px; display: flex; flex-direction: column; gap: 10px; }
.message { display: flex; flex-direction: column; max-width: 86%; }
.message.user { align-self: flex-end; align-items: flex-end; }
.message.bot { align-self: flex-start; align-items: flex-start; }
.bubble { padding: 9px 13px; border-radius: 16px; overflow-wrap: anywhere; white-space: normal; }
.user .bubble { background: var(--primary); color: var(--on-primary); border-bottom-right-radius: 4px; white-space: pre-wrap; }
.bot .bubble { background: var(--bot); border-bottom-left-radius: 4px; }
.bubble p { margin: 0; }
.bubble p + p, .bubble p + ul, .bubble p + ol, .bubble ul + p, .bubble ol + p { margin-top: 6px; }
.bubble ul, .bubble ol { margin: 4px 0 0; padding-left: 20px; }
.bubble a { color: inherit; text-decoration: underline; }
.bot .bubble a { color: var(--primary); }
.bubble img { max-width: 100%; border-radius: 10px; display: block; }
.meta { font-size: 11.5px; color: var(--muted); margin: 3px 4px 0; }
.meta .pending { font-style: italic; }

.choices { display: flex; flex-wrap: wrap; gap: 6px; margin-top: 8px; }
.choice {
  border: 1.5px solid var(--primary); color: var(--primary); background: var(--surface);
  border-radius: 999px; padding: 6px 13px; font-size: 14px;
}
.choice:hover { background: var(--accent); }
.choices.answered .choice { border-color: var(--line); color: var(--muted); cursor: default; background: var(--surface); }
.choices.answered .choice.chosen { border-color: var(--primary); color: var(--primary); background: var(--accent); }
.choices.answered .choice.chosen::before { content: "✓ "; }

/* Who speaks: a round picture or initial beside the assistant's and a person's messages. */
.row { display: flex; align-items: flex-end; gap: 8px; align-self: flex-start; max-width: 92%; }
.row .message { max-width: 100%; }
.row.with-card { width: 92%; }
.row.with-card .message, .row.with-card .bubble { width: 100%; }
.face {
  width: 28px; height: 28px; border-radius: 50%; flex: none; object-fit: cover; margin-bottom: 20px;
  background: var(--primary); color: var(--on-primary);
}
.initial { display: grid; place-items: center; font-size: 13px; font-weight: 700; }
.agent-face { background: #5b3cc4; color: #fff; }
header .avatar.initial { font-size: 16px; font-weight: 700; color: var(--on-primary); }
header img.avatar { object-fit: cover; }

.welcome-block { display: flex; flex-direction: column; gap: 8px; padding: 4px 0 8px; border-bottom: 1px solid var(--line); margin-bottom: 4px; }
.welcome { display: flex; gap: 10px; align-items: flex-start; }
.welcome .face { width: 40px; height: 40px; font-size: 17px; margin: 0; }
.welcome-text p { margin: 0; }
.welcome-name { font-weight: 650; }
.welcome-greeting { color: var(--text); }
.welcome-block .choices { margin: 2px 0 0 50px; }
.help-centre { margin-left: 50px; font-size: 13.5px; color: var(--primary); font-weight: 600; }

/* Cards: an order's progress or a return label, under the answer's sentence. */
.card { overflow-wrap: normal; margin-top: 8px; background: var(--surface); border: 1px solid var(--line); border-radius: 12px; padding: 10px 12px; }
.card p { margin: 0; }
.card-title { font-weight: 650; }
.card-subtitle, .card-detail { font-size: 13px; color: var(--muted); }
.card-detail { margin-top: 6px !important; }
.steps { list-style: none; margin: 10px -4px 2px; padding: 0; display: grid; grid-template-columns: repeat(4, 1fr); column-gap: 6px; }
.step { position: relative; display: flex; flex-direction: column; align-items: center; text-align: center; font-size: 12px; color: var(--muted); }
.step::before { content: ""; position: absolute; top: 6px; left: calc(-50% - 3px); width: calc(100% + 6px); height: 2px; background: var(--line); }
.step:first-child::before { display: none; }
.step.done::before { background: var(--primary); }
.dot { width: 14px; height: 14px; border-radius: 50%; border: 2px solid var(--line); background: var(--surface); position: relative; z-index: 1; }
.step.done .dot { background: var(--primary); border-color: var(--primary); }
.step.current .dot { box-shadow: 0 0 0 3px var(--accent); }
.step.done { color: var(--text); }
.step-name { margin-top: 4px; font-weight: 600; white-space: nowrap; font-size: 11px; letter-spacing: -.1px; }
.step-day { font-size: 11.5px; color: var(--muted); }
.card-link {
  display: inline-flex; margin-top: 10px; padding: 7px 14px; border-radius: 999px;
  background: var(--primary); color: var(--on-primary) !important; text-decoration: none !important; font-weight: 600; font-size: 14px;
}
.card-link:hover { filter: brightness(1.1); }

/* The return photos: a row a photo, its thumbnail, its name and state, its two buttons. */
.bubble .photo-slots { list-style: none; margin: 8px 0 0; padding: 0; display: flex; flex-direction: column; gap: 6px; }
.photo-slot { display: grid; grid-template-columns: 44px 1fr auto; grid-template-areas: "thumb name buttons" "thumb state buttons";
  column-gap: 8px; align-items: center; padding: 5px 6px; border: 1px solid var(--line); border-radius: 10px; font-size: 13px; line-height: 1.3; }
.photo-thumb { grid-area: thumb; width: 44px; height: 44px; border-radius: 8px; object-fit: cover; background: var(--bot); display: block; }
.photo-name { grid-area: name; font-weight: 600; }
.photo-state { grid-area: state; color: var(--muted); font-size: 12.5px; }
.photo-slot.taken { border-color: var(--primary); }
.photo-slot.taken .photo-state { color: var(--primary); font-weight: 600; }
.photo-slot.refused { border-color: #b3261e; }
.photo-slot.refused .photo-state { color: #b3261e; font-weight: 600; }
.photo-buttons { grid-area: buttons; display: flex; gap: 6px; }
.photo-pick { width: 36px; height: 36px; border-radius: 50%; border: 1px solid var(--primary); background: var(--surface);
  color: var(--primary); display: grid; place-items: center; padding: 0; }
.photo-pick svg { width: 19px; height: 19px; fill: currentColor; }
.photo-pick.camera { background: var(--primary); color: var(--on-primary); }
.photos.stale .photo-slots { opacity: .7; }
.photos-progress { font-variant-numeric: tabular-nums; }
.photo-note { margin-top: 6px !important; padding: 6px 8px; border-radius: 8px; background: var(--bot); font-size: 13.5px; }

.typing { align-self: flex-start; background: var(--bot); border-radius: 16px; padding: 12px 14px; display: flex; gap: 4px; }
.typing[hidden] { display: none; }
.typing span { width: 7px; height: 7px; border-radius: 50%; background: var(--muted); animation: blink 1.2s infinite; }
.typing span:nth-child(2) { animation-delay: .2s; }
.typing span:nth-child(3) { animation-delay: .4s; }
@keyframes blink { 0%, 80%, 100% { opacity: .25; } 40% { opacity: 1; } }
@media (prefers-reduced-motion: reduce) { .typing span { animation: none; opacity: .6; } .launcher { transition: none; } }

.length { display: flex; justify-content: space-between; align-items: baseline; gap: 8px; padding: 0 14px; font-size: 12.5px; }
.length p { margin: 4px 0 0; }
.counter { color: var(--muted); margin-left: auto !important; font-variant-numeric: tabular-nums; white-space: nowrap; }
.counter[hidden] { display: none; }
.counter.over, .too-long { color: #b3261e; font-weight: 600; }
.too-long:empty { display: none; }
.send[aria-disabled="true"] { opacity: .45; cursor: not-allowed; }

form { display: flex; gap: 8px; padding: 6px 12px 12px; align-items: flex-end; }
textarea {
  flex: 1; resize: none; border: 1px solid var(--line); border-radius: 12px; padding: 9px 12px;
  font: inherit; color: var(--text); max-height: 120px; min-height: 40px; background: var(--surface);
}
textarea:focus { border-color: var(--primary); outline: none; box-shadow: 0 0 0 2px var(--accent); }
.send {
  width: 40px; height: 40px; border-radius: 50%; border: none; background: var(--primary);
  color: var(--on-primary); display: grid; place-items: center; flex: none;
}
.send svg { width: 18px; height: 18px; fill: currentColor; }

/* Phones: the conversation takes the whole screen. */
@media (max-width: 600px) {
  .panel { inset: 0; width: 100%; height: 100%; height: 100dvh; border-radius: 0; }
  .root.open .launcher { display: none; }
  .message { max-width: 92%; }
}
`;
