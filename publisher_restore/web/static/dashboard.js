// publisher-restore dashboard: a little progressive enhancement. Every page works without it
// (but uploading a sync pack, which streams the file with the CSRF header); this file adds
// dialogs, live progress, in-place refresh, the tick boxes of checks, the decisions badge and
// the pack upload. No inline scripts anywhere (the CSP allows only this file).
"use strict";

(function () {
  const PHASES = {
    scan: "Scanning the site",
    read: "Reading the restore point",
    verify: "Verifying every file",
    store: "Storing files",
    export: "Exporting the restore point",
    stage: "Unpacking the restore point",
    recheck: "Making sure the site did not change",
    apply: "Applying the changes",
    "pack-check": "Checking the pack",
    plan: "Planning the import",
    write: "Writing the changes",
  };
  const OPENS_NEXT = ["check", "undo-check", "pack-plan"];
  const UNITS = ["kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"];

  function csrfToken() {
    const meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") : "";
  }

  // The CLI's unit system (cli/output.py human_size: rich's decimal units, 1 kB = 1000 B).
  function humanSize(size) {
    if (size === 1) return "1 byte";
    if (size < 1000) return `${size.toLocaleString("en-US")} bytes`;
    let index = 0;
    let unit = 1000 ** 2;
    while (index < UNITS.length - 1 && size >= unit) {
      index += 1;
      unit *= 1000;
    }
    const value = (1000 * size) / unit;
    const shown = value.toLocaleString("en-US", {
      minimumFractionDigits: 1,
      maximumFractionDigits: 1,
    });
    return `${shown} ${UNITS[index]}`;
  }

  function percent(phase) {
    if (!phase) return null;
    if (phase.bytes_total) return (100 * phase.bytes_done) / phase.bytes_total;
    if (phase.files_total) return (100 * phase.files_done) / phase.files_total;
    return null;
  }

  function counts(phase) {
    if (!phase) return "";
    let text = phase.files_done || !phase.bytes_total
      ? `${phase.files_done} of ${phase.files_total} files`
      : `${phase.files_total} files`;
    if (phase.bytes_total) {
      text += ` · ${humanSize(phase.bytes_done)} of ${humanSize(phase.bytes_total)}`;
    }
    return text;
  }

  function announce(text) {
    const region = document.getElementById("announcer");
    if (region) region.textContent = text;
  }

  async function getJSON(url) {
    const response = await fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" });
    if (response.status === 401) {
      window.location.assign("/login?next=" + encodeURIComponent(window.location.pathname));
      throw new Error("signed out");
    }
    if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
    return response.json();
  }

  // Dialogs: links with data-dialog open a <dialog>; without scripts they open a page.
  function setUpDialogs() {
    document.addEventListener("click", (event) => {
      const opener = event.target.closest("[data-dialog]");
      if (opener) {
        const dialog = document.getElementById(opener.dataset.dialog);
        if (dialog && dialog.showModal) {
          event.preventDefault();
          const form = dialog.querySelector("form");
          if (form) form.reset();
          dialog.showModal();
        }
        return;
      }
      const remover = event.target.closest("[data-delete]");
      if (remover) {
        const dialog = document.getElementById("delete-dialog");
        if (dialog && dialog.showModal) {
          event.preventDefault();
          document.getElementById("delete-form").action = `/points/${remover.dataset.delete}/delete`;
          document.getElementById("delete-what").textContent = `The restore point of ${remover.dataset.label}.`;
          dialog.showModal();
        }
        return;
      }
      const closer = event.target.closest("[data-close]");
      if (closer) {
        const dialog = closer.closest("dialog");
        if (dialog) dialog.close();
      }
    });
    document.addEventListener("submit", (event) => {
      const button = event.submitter;
      if (event.target.closest("dialog") && button) {
        button.disabled = true;
      }
    });
  }

  function setUpFilter() {
    document.querySelectorAll("[data-autosubmit]").forEach((select) => {
      select.addEventListener("change", () => select.form.submit());
    });
    document.querySelectorAll("[data-nojs]").forEach((element) => element.setAttribute("hidden", ""));
  }

  // Pin and unpin in place: a fetch with the CSRF token in its header.
  function setUpPins() {
    document.addEventListener("submit", async (event) => {
      const form = event.target.closest("form[data-pin]");
      if (!form) return;
      event.preventDefault();
      const body = new URLSearchParams(new FormData(form));
      body.delete("csrf_token");
      try {
        const response = await fetch(form.action, {
          method: "POST",
          body,
          credentials: "same-origin",
          headers: { Accept: "application/json", "X-CSRF-Token": csrfToken() },
        });
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        const result = await response.json();
        announce(result.message);
        await refreshPoints(true);
      } catch (error) {
        form.submit();
      }
    });
  }

  async function refreshPoints(force) {
    const holder = document.getElementById("points");
    if (!holder) return;
    if (!force && document.querySelector("dialog[open]")) return;
    const response = await fetch(holder.dataset.refresh, { credentials: "same-origin" });
    if (!response.ok) return;
    const html = await response.text();
    const fresh = new DOMParser().parseFromString(html, "text/html");
    const focused = document.activeElement && document.activeElement.getAttribute("aria-label");
    holder.replaceChildren(...fresh.body.childNodes);
    if (focused) {
      const again = holder.querySelector(`[aria-label="${CSS.escape(focused)}"]`);
      if (again) again.focus();
    }
  }

  // The list page: jobs running in the server, and new or changed restore points, every tab.
  function setUpActivity() {
    const panel = document.getElementById("activity");
    const holder = document.getElementById("points");
    if (!panel || !holder) return;
    const list = document.getElementById("activity-list");
    async function poll() {
      try {
        const activity = await getJSON("/api/activity");
        renderActivity(panel, list, activity.jobs);
        if (activity.version !== holder.dataset.version && !document.querySelector("dialog[open]")) {
          holder.dataset.version = activity.version;
          await refreshPoints(false);
          announce("The restore points changed.");
        }
      } catch (error) {
        // The next poll tries again.
      }
      window.setTimeout(poll, document.hidden ? 5000 : 1500);
    }
    window.setTimeout(poll, 1000);
  }

  function renderActivity(panel, list, jobs) {
    const running = jobs.filter((job) => job.state === "running");
    panel.hidden = running.length === 0;
    list.replaceChildren(
      ...running.map((job) => {
        const item = document.createElement("li");
        item.dataset.job = job.id;
        const link = document.createElement("a");
        link.href = `/jobs/${job.id}`;
        link.textContent = job.title;
        const bar = document.createElement("progress");
        bar.max = 100;
        const value = percent(job.phase);
        if (value !== null) bar.value = value;
        bar.setAttribute("aria-label", `Progress of: ${job.title}`);
        const detail = document.createElement("span");
        detail.className = "muted small";
        detail.textContent = job.phase ? `${PHASES[job.phase.name] || job.phase.name}: ${counts(job.phase)}` : "Waiting for the site";
        item.append(link, bar, detail);
        return item;
      })
    );
  }

  // A job's page: live progress; when it ends the page shows the result (or opens the check).
  function setUpJob() {
    const holder = document.getElementById("job");
    if (!holder || holder.dataset.state !== "running") return;
    const bar = document.getElementById("job-bar");
    const phase = document.getElementById("job-phase");
    const done = document.getElementById("job-counts");
    const phases = document.getElementById("job-phases");
    async function poll() {
      try {
        const job = await getJSON(`/api/jobs/${holder.dataset.job}`);
        if (job.state !== "running") {
          if (OPENS_NEXT.includes(job.kind) && job.state === "done" && job.next_url) {
            window.location.assign(job.next_url);
          } else {
            window.location.reload();
          }
          return;
        }
        const value = percent(job.phase);
        if (value === null) bar.removeAttribute("value");
        else bar.value = value;
        phase.textContent = job.phase ? PHASES[job.phase.name] || job.phase.name : phase.textContent;
        done.textContent = counts(job.phase);
        phases.replaceChildren(
          ...job.phases_done.map((step) => {
            const item = document.createElement("li");
            const size = step.bytes_total ? `, ${humanSize(step.bytes_total)}` : "";
            item.textContent = `${PHASES[step.name] || step.name}: ${step.files_total} files${size} ✓`;
            return item;
          })
        );
      } catch (error) {
        // Try again.
      }
      window.setTimeout(poll, 400);
    }
    window.setTimeout(poll, 150);
  }

  // Checks (restore, undo): tick boxes per change and per group, a live count, a compact submit.
  // Changes are sent as the list of unticked ones; an undo's conflicts are sent as ticked.
  function setUpCheck() {
    const form = document.querySelector("form[data-tick-form]");
    if (!form) return;
    document.querySelectorAll("[data-js-only]").forEach((element) => (element.hidden = false));
    const changes = () => Array.from(form.querySelectorAll('input[name="change"]'));
    const boxes = () => Array.from(form.querySelectorAll('input[name="change"], input[name="conflict"]'));
    const summary = document.getElementById("selected-summary");
    const button = document.getElementById("restore-button");
    const blocked = button.dataset.blocked === "true";
    const total = Number(summary.dataset.total);

    function label(ticked) {
      if (ticked === total) return button.dataset.all;
      return button.dataset.some.replace("{n}", ticked).replace("{s}", ticked === 1 ? "" : "s");
    }

    function update() {
      const all = boxes();
      const ticked = all.filter((box) => box.checked).length;
      summary.textContent = `${ticked} of ${total} changes selected.`;
      button.textContent = label(ticked);
      button.disabled = blocked || ticked === 0;
      form.querySelectorAll("[data-group-toggle]").forEach((toggle) => {
        const members = all.filter((box) => box.dataset.group === toggle.dataset.groupToggle);
        const on = members.filter((box) => box.checked).length;
        toggle.checked = on === members.length;
        toggle.indeterminate = on > 0 && on < members.length;
      });
    }

    form.addEventListener("change", (event) => {
      const toggle = event.target.closest("[data-group-toggle]");
      if (toggle) {
        boxes()
          .filter((box) => box.dataset.group === toggle.dataset.groupToggle)
          .forEach((box) => (box.checked = toggle.checked));
      }
      update();
    });
    form.querySelectorAll("[data-select]").forEach((tool) => {
      tool.addEventListener("click", () => {
        changes().forEach((box) => (box.checked = tool.dataset.select === "all"));
        update();
      });
    });
    form.addEventListener("submit", () => {
      const unticked = changes().filter((box) => !box.checked).map((box) => box.value);
      document.getElementById("selection-mode").value = "unticked";
      document.getElementById("unticked").value = unticked.join(",");
      changes().forEach((box) => (box.disabled = true));
      form.querySelectorAll("[data-group-toggle]").forEach((toggle) => (toggle.disabled = true));
      button.disabled = true;
      button.textContent = button.dataset.busy;
    });
    update();
  }

  // The navigation's badge (decisions waiting), on every page; the decisions pages reload
  // themselves when what they show changed (answered elsewhere, taken, expired).
  function setUpDecisions() {
    const badge = document.getElementById("decisions-badge");
    if (!badge) return;
    const list = document.getElementById("decisions");
    const one = document.getElementById("decision");
    async function poll() {
      try {
        const summary = await getJSON("/api/decisions");
        if (String(summary.waiting) !== badge.dataset.count) {
          badge.dataset.count = String(summary.waiting);
          badge.hidden = summary.waiting === 0;
          badge.children[0].textContent = String(summary.waiting);
          badge.children[1].textContent = `, ${summary.waiting} waiting`;
          if (summary.waiting > 0) announce(`${summary.waiting} decision${summary.waiting === 1 ? "" : "s"} waiting`);
        }
        if (list && summary.ids.join(",") !== list.dataset.version) {
          window.location.reload();
          return;
        }
        if (one) {
          const now = await getJSON(`/api/decisions/${one.dataset.decision}`);
          if (now.state !== one.dataset.state) {
            window.location.reload();
            return;
          }
        }
      } catch (error) {
        // The next poll tries again.
      }
      window.setTimeout(poll, document.hidden ? 10000 : 2000);
    }
    window.setTimeout(poll, 1500);
  }

  // Sync packs: the file goes as the raw body (streamed by the browser, never held in a
  // form), with the CSRF token in a header; upload progress, then the plan's job.
  function setUpUpload() {
    const form = document.getElementById("upload-form");
    if (!form) return;
    form.querySelectorAll("[data-js-only]").forEach((element) => (element.hidden = false));
    const input = document.getElementById("pack-file");
    const button = document.getElementById("upload-button");
    const block = document.getElementById("upload-progress");
    const bar = document.getElementById("upload-bar");
    const phase = document.getElementById("upload-phase");
    const done = document.getElementById("upload-counts");
    const problem = document.getElementById("upload-error");
    const limit = Number(form.dataset.limit);

    function fail(text) {
      problem.textContent = text;
      problem.hidden = false;
      block.hidden = true;
      button.disabled = false;
    }

    form.addEventListener("submit", (event) => {
      event.preventDefault();
      problem.hidden = true;
      const file = input.files && input.files[0];
      if (!file) {
        fail("Choose a .usync sync pack first.");
        return;
      }
      if (file.size > limit) {
        fail(`${file.name} is ${humanSize(file.size)}: larger than this site accepts (${humanSize(limit)}, MaxBodyMiB). Nothing was uploaded.`);
        return;
      }
      const query = new URLSearchParams({
        media: String(document.getElementById("pack-media").checked),
        mirror: String(document.getElementById("pack-mirror").checked),
      });
      const request = new XMLHttpRequest();
      request.open("POST", `/packs?${query}`);
      request.setRequestHeader("X-CSRF-Token", csrfToken());
      request.setRequestHeader("X-Pack-Name", encodeURIComponent(file.name));
      request.setRequestHeader("Content-Type", "application/octet-stream");
      request.setRequestHeader("Accept", "application/json");
      request.upload.addEventListener("progress", (progress) => {
        if (progress.lengthComputable) {
          bar.value = (100 * progress.loaded) / progress.total;
          done.textContent = `${humanSize(progress.loaded)} of ${humanSize(progress.total)}`;
        }
      });
      request.upload.addEventListener("load", () => {
        phase.textContent = "Checking and planning the pack";
        bar.removeAttribute("value");
      });
      request.addEventListener("load", () => {
        let answer = {};
        try {
          answer = JSON.parse(request.responseText);
        } catch (error) {
          answer = {};
        }
        if (request.status === 200 && answer.next) {
          window.location.assign(answer.next);
        } else if (request.status === 401) {
          window.location.assign("/login?next=/packs");
        } else {
          fail(answer.detail || `The upload failed (HTTP ${request.status}). Nothing was imported.`);
        }
      });
      request.addEventListener("error", () => fail("The upload was cut off. Nothing was imported; try again."));
      button.disabled = true;
      block.hidden = false;
      phase.textContent = `Uploading ${file.name}`;
      bar.value = 0;
      request.send(file);
    });
  }

  document.addEventListener("DOMContentLoaded", () => {
    setUpDialogs();
    setUpFilter();
    setUpPins();
    setUpActivity();
    setUpJob();
    setUpCheck();
    setUpDecisions();
    setUpUpload();
  });
})();
