// Speaks the text in the address's fragment (#lang=..&text=..&label=..&none=..&dir=..) with the
// browser's own speech synthesis: nothing leaves the device. When the device has no voice for the
// language, it says so instead (the message comes translated in the fragment too). Text only: every
// value goes into textContent or the utterance, never into HTML.
"use strict";

const button = document.getElementById("read-aloud");
const status = document.getElementById("read-aloud-status");
let params = new URLSearchParams();
let lang = "en";
let text = "";

// Read the fragment again whenever it changes: when the reader picks another language, Streamlit
// gives the same frame a new fragment, and a new fragment does not load the document again.
function render() {
  params = new URLSearchParams(window.location.hash.slice(1));
  lang = params.get("lang") || "en";
  text = params.get("text") || "";
  document.documentElement.lang = lang;
  document.documentElement.dir = params.get("dir") === "rtl" ? "rtl" : "ltr";
  document.getElementById("read-aloud-label").textContent = params.get("label") || "Read aloud";
  button.dataset.lang = lang;
  status.hidden = true;
}

render();
window.addEventListener("hashchange", render);

function primary(tag) {
  return tag.toLowerCase().replace("_", "-").split("-")[0];
}

// A voice for exactly this language and region, else one for the language (a Farsi voice reads Dari).
function voiceFor(tag) {
  const voices = window.speechSynthesis.getVoices();
  const wanted = tag.toLowerCase();
  return voices.find((voice) => voice.lang.toLowerCase().replace("_", "-") === wanted)
    || voices.find((voice) => primary(voice.lang) === primary(tag)) || null;
}

// Some browsers fill in their voices only after a moment (the voiceschanged event).
function voicesLoaded() {
  return new Promise((resolve) => {
    if (window.speechSynthesis.getVoices().length) {
      resolve();
      return;
    }
    window.speechSynthesis.addEventListener("voiceschanged", () => resolve(), { once: true });
    window.setTimeout(resolve, 1500);
  });
}

function tell(message) {
  status.textContent = message;
  status.hidden = false;
  // The frame grows to show the message (the frame is ours: same origin).
  if (window.frameElement) {
    window.frameElement.style.height = `${document.body.scrollHeight + 4}px`;
  }
}

async function readAloud() {
  if (!("speechSynthesis" in window)) {
    tell(params.get("none") || "");
    return;
  }
  await voicesLoaded();
  const voice = voiceFor(lang);
  if (!voice) {
    tell(params.get("none") || "");
    return;
  }
  window.speechSynthesis.cancel();
  const utterance = new SpeechSynthesisUtterance(text);
  utterance.lang = lang;
  utterance.voice = voice;
  window.speechSynthesis.speak(utterance);
}

button.addEventListener("click", readAloud);
