// The newsletter's progress bar in the admin: asks the staff-only JSON endpoint every second
// while the newsletter is being sent, and moves the bar.
(function () {
  "use strict";
  var box = document.querySelector(".newsletter-progress[data-progress-url]");
  if (!box) {
    return;
  }
  var bar = box.querySelector("progress");
  var percent = box.querySelector(".newsletter-progress-percent");
  var text = box.querySelector(".newsletter-progress-text");
  var template = document.getElementById("newsletter-progress-template");
  var pattern = template ? template.content.textContent.trim() : "";

  function show(data) {
    bar.value = data.percent;
    bar.textContent = data.percent + " %";
    percent.textContent = data.percent + " %";
    if (pattern) {
      text.textContent = pattern
        .replace("{status}", data.status_label)
        .replace("{sent}", data.sent)
        .replace("{total}", data.total)
        .replace("{failed}", data.failed)
        .replace("{waiting}", data.waiting);
    }
    box.dataset.status = data.status;
  }

  function poll() {
    fetch(box.dataset.progressUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(response.status);
        }
        return response.json();
      })
      .then(function (data) {
        show(data);
        if (data.status !== "sent") {
          window.setTimeout(poll, 1000);
        }
      })
      .catch(function () {
        window.setTimeout(poll, 5000);
      });
  }

  poll();
})();
