// The check-in page: scan a badge's QR code with the camera (jsQR, vendored in
// static/vendor/jsqr/), then look the code up; and keep the day's count up to date.
const page = document.getElementById("check-in");
const form = document.getElementById("search-form");
const input = document.getElementById("q");
const button = document.getElementById("scan-button");
const scanner = document.getElementById("scanner");
const video = document.getElementById("scanner-video");
const canvas = document.getElementById("scanner-canvas");

function lookUp(code) {
  input.value = code;
  form.submit();
}

async function scan() {
  let stream;
  try {
    stream = await navigator.mediaDevices.getUserMedia({
      video: { facingMode: "environment" },
      audio: false,
    });
  } catch (error) {
    document.getElementById("scanner-status").textContent = String(error);
    scanner.hidden = false;
    return;
  }
  scanner.hidden = false;
  button.hidden = true;
  video.srcObject = stream;
  await video.play();
  const context = canvas.getContext("2d", { willReadFrequently: true });
  const tick = () => {
    if (video.readyState >= video.HAVE_CURRENT_DATA && video.videoWidth) {
      canvas.width = video.videoWidth;
      canvas.height = video.videoHeight;
      context.drawImage(video, 0, 0, canvas.width, canvas.height);
      const image = context.getImageData(0, 0, canvas.width, canvas.height);
      const found = window.jsQR(image.data, image.width, image.height, {
        inversionAttempts: "dontInvert",
      });
      if (found && found.data) {
        stream.getTracks().forEach((track) => track.stop());
        lookUp(found.data.trim());
        return;
      }
    }
    window.setTimeout(tick, 150);
  };
  tick();
}

if (navigator.mediaDevices && navigator.mediaDevices.getUserMedia && window.jsQR) {
  button.hidden = false;
  button.addEventListener("click", scan);
}

async function refreshCounts() {
  try {
    const response = await fetch(page.dataset.countsUrl, { credentials: "same-origin" });
    if (!response.ok) return;
    const data = await response.json();
    const today = document.querySelector("#live-count [data-count]");
    if (today) today.textContent = data.today;
    for (const day of data.days) {
      const item = document.querySelector(`#day-counts [data-day="${day.day}"] span`);
      if (item) item.textContent = day.count;
    }
  } catch {
    // Offline for a moment: the next poll tries again.
  }
}

window.setInterval(refreshCounts, 10000);
