/*
 * The editorial desk in the admin's post and page forms (blog/desk_admin.py):
 * autosave of the unsaved text, the offer to restore or discard an autosave, and
 * the presence heartbeat. Plain JavaScript, no build step. Progressive: if this
 * script does not run, the form saves as any admin form does.
 */
(function () {
  "use strict";

  function start() {
    var root = document.querySelector("[data-plume-desk]");
    if (!root) {
      return;
    }
    var form = root.closest("form");
    if (!form) {
      return;
    }
    var status = root.querySelector(".plume-autosave-status");
    var submitting = false;

    // A two-box picker (the admin's filter_horizontal): the chosen options are all those of the
    // "<field>_to" box, selected or not (Django selects them only on submit); the others wait,
    // under another name, in "<field>_from". Returns the waiting box of `element`'s picker.
    function waitingBox(element) {
      if (element.tagName !== "SELECT" || !element.multiple || !/_to$/.test(element.id)) {
        return null;
      }
      return document.getElementById(element.id.replace(/_to$/, "_from"));
    }

    // The writer's fields, as the form would post them (files and the token left out).
    function fields() {
      var pickers = {};
      var waiting = {};
      form.querySelectorAll("select[multiple]").forEach(function (element) {
        var from = waitingBox(element);
        if (from) {
          pickers[element.name] = element;
          waiting[from.name] = true;
        }
      });
      var pairs = [];
      new FormData(form).forEach(function (value, name) {
        if (typeof value === "string" && name !== "csrfmiddlewaretoken" && !pickers[name] && !waiting[name]) {
          pairs.push([name, value]);
        }
      });
      Object.keys(pickers).forEach(function (name) {
        Array.prototype.forEach.call(pickers[name].options, function (option) {
          pairs.push([name, option.value]);
        });
      });
      return pairs;
    }

    // Choose exactly `values` in a two-box picker, through its own SelectBox (it keeps each box's list).
    function choose(to, from, values) {
      Array.prototype.forEach.call(from.options, function (option) {
        option.selected = values.indexOf(option.value) !== -1;
      });
      window.SelectBox.move(from.id, to.id);
      Array.prototype.forEach.call(to.options, function (option) {
        option.selected = values.indexOf(option.value) === -1;
      });
      window.SelectBox.move(to.id, from.id);
      [to, from].forEach(function (box) {
        Array.prototype.forEach.call(box.options, function (option) {
          option.selected = false;
        });
      });
    }

    function body(pairs) {
      var data = new FormData();
      var token = form.querySelector("input[name=csrfmiddlewaretoken]");
      if (token) {
        data.append("csrfmiddlewaretoken", token.value);
      }
      pairs.forEach(function (pair) {
        data.append(pair[0], pair[1]);
      });
      return data;
    }

    var last = JSON.stringify(fields());

    function autosave(leaving) {
      if (submitting) {
        return;
      }
      var pairs = fields();
      var now = JSON.stringify(pairs);
      if (now === last) {
        return;
      }
      var url = root.dataset.autosaveUrl;
      if (leaving && navigator.sendBeacon) {
        // The page may be gone before a fetch answers: the browser delivers a beacon anyway.
        if (navigator.sendBeacon(url, body(pairs))) {
          last = now;
        }
        return;
      }
      fetch(url, { method: "POST", body: body(pairs), credentials: "same-origin" })
        .then(function (response) {
          if (!response.ok) {
            throw new Error(response.status);
          }
          return response.json();
        })
        .then(function (answer) {
          last = now;
          root.dataset.autosavedAt = answer.saved_at;
          if (status) {
            status.textContent = root.dataset.savedLabel.replace("%(time)s", answer.time);
          }
        })
        .catch(function () {
          /* Kept in the form: the next round tries again. */
        });
    }

    var seconds = parseFloat(root.dataset.autosaveSeconds) || 30;
    window.setInterval(autosave, seconds * 1000);
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "hidden") {
        autosave(true);
      }
    });
    window.addEventListener("pagehide", function () {
      autosave(true);
    });
    form.addEventListener("submit", function () {
      // The form itself is being saved: an autosave now would outlive it.
      submitting = true;
    });

    // The offer of a newer autosave.
    var notice = root.querySelector(".plume-autosave-notice");
    var saved = document.getElementById("plume-autosave-data");
    if (notice && saved) {
      var restoreButton = notice.querySelector(".plume-autosave-restore");
      var discardButton = notice.querySelector(".plume-autosave-discard");
      restoreButton.hidden = false;
      discardButton.hidden = false;
      restoreButton.addEventListener("click", function () {
        restore(JSON.parse(saved.textContent));
        notice.hidden = true;
      });
      discardButton.addEventListener("click", function () {
        fetch(root.dataset.discardUrl, {
          method: "POST",
          body: body([]),
          credentials: "same-origin",
          headers: { "X-Requested-With": "fetch" },
        });
        notice.hidden = true;
      });
    }

    // offered: {fields: {name: value or [values]}, complete: whether it is the whole form}.
    function restore(offered) {
      var data = offered.fields;
      Object.keys(data).forEach(function (name) {
        var values = Array.isArray(data[name]) ? data[name] : [data[name]];
        var elements = form.querySelectorAll('[name="' + CSS.escape(name) + '"]');
        elements.forEach(function (element) {
          if (element.type === "hidden" || element.type === "file" || element.type === "submit") {
            return;
          }
          var from = waitingBox(element);
          if (from && window.SelectBox) {
            choose(element, from, values);
          } else if (element.type === "checkbox" || element.type === "radio") {
            element.checked = values.indexOf(element.value) !== -1;
          } else if (element.tagName === "SELECT" && element.multiple) {
            Array.prototype.forEach.call(element.options, function (option) {
              option.selected = values.indexOf(option.value) !== -1;
            });
          } else {
            element.value = values[0];
          }
          // markdownx renders its preview again on these.
          element.dispatchEvent(new Event("input", { bubbles: true }));
          element.dispatchEvent(new Event("change", { bubbles: true }));
        });
      });
      if (!offered.complete) {
        return;
      }
      // Nothing chosen in a picker is not posted either.
      form.querySelectorAll("select[multiple]").forEach(function (element) {
        var from = waitingBox(element);
        if (from && window.SelectBox && !(element.name in data)) {
          choose(element, from, []);
        }
      });
      // Unchecked boxes are not posted: a box the whole form's autosave does not name was unchecked.
      form.querySelectorAll("input[type=checkbox]").forEach(function (box) {
        if (box.name && !(box.name in data) && box.name.charAt(0) !== "_") {
          box.checked = false;
        }
      });
    }

    // Presence: who else has this form open.
    var presenceUrl = root.dataset.presenceUrl;
    var list = root.querySelector(".plume-presence");
    function heartbeat() {
      fetch(presenceUrl, { method: "POST", body: body([]), credentials: "same-origin" })
        .then(function (response) {
          return response.ok ? response.json() : null;
        })
        .then(function (answer) {
          if (!answer || !list) {
            return;
          }
          list.textContent = "";
          answer.message.forEach(function (line) {
            var item = document.createElement("li");
            item.className = "warning";
            item.textContent = line;
            list.appendChild(item);
          });
          list.hidden = answer.message.length === 0;
        })
        .catch(function () {});
    }
    if (presenceUrl) {
      var beat = parseFloat(root.dataset.heartbeatSeconds) || 20;
      window.setInterval(heartbeat, beat * 1000);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
