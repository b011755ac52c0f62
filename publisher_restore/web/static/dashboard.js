// publisher-restore dashboard: a little progressive enhancement. Every page works without it;
// this file adds dialogs, live progress, in-place refresh and the check page's tick boxes.
// No inline scripts anywhere (the CSP allows only this file).
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
  };
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
          if (job.kind === "check" && job.state === "done" && job.next_url) {
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

  // The check page: tick boxes per change and per group, a live count, a compact submit.
  function setUpCheck() {
    const form = document.getElementById("restore-form");
    if (!form) return;
    document.querySelectorAll("[data-js-only]").forEach((element) => (element.hidden = false));
    const boxes = () => Array.from(form.querySelectorAll('input[name="change"]'));
    const summary = document.getElementById("selected-summary");
    const button = document.getElementById("restore-button");
    const blocked = button.disabled;
    const total = Number(summary.dataset.total);

    function update() {
      const all = boxes();
      const ticked = all.filter((box) => box.checked).length;
      summary.textContent = `${ticked} of ${total} changes selected.`;
      button.textContent = ticked === total ? "Restore every change" : `Restore ${ticked} selected change${ticked === 1 ? "" : "s"}`;
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
        boxes().forEach((box) => (box.checked = tool.dataset.select === "all"));
        update();
      });
    });
    form.addEventListener("submit", () => {
      const unticked = boxes().filter((box) => !box.checked).map((box) => box.value);
      document.getElementById("selection-mode").value = "unticked";
      document.getElementById("unticked").value = unticked.join(",");
      boxes().forEach((box) => (box.disabled = true));
      form.querySelectorAll("[data-group-toggle]").forEach((toggle) => (toggle.disabled = true));
      button.disabled = true;
      button.textContent = "Restoring…";
    });
    update();
  }

  document.addEventListener("DOMContentLoaded", () => {
    setUpDialogs();
    setUpFilter();
    setUpPins();
    setUpActivity();
    setUpJob();
    setUpCheck();
  });
})();
