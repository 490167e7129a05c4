// htmx glue: toasts from HX-Trigger, error messages for failed requests. No inline scripts
// anywhere (the Content-Security-Policy forbids them), so all behaviour lives here.
(function () {
  "use strict";

  function showToast(message, level) {
    var box = document.getElementById("toasts");
    if (!box || !message) return;
    var toast = document.createElement("div");
    toast.className = "toast show align-items-center border-0 text-bg-" + (level || "success");
    toast.setAttribute("role", level === "danger" ? "alert" : "status");
    var row = document.createElement("div");
    row.className = "d-flex";
    var body = document.createElement("div");
    body.className = "toast-body";
    body.textContent = message;
    var close = document.createElement("button");
    close.type = "button";
    close.className = "btn-close btn-close-white me-2 m-auto";
    close.setAttribute("aria-label", "Đóng");
    close.addEventListener("click", function () { toast.remove(); });
    row.appendChild(body);
    row.appendChild(close);
    toast.appendChild(row);
    box.appendChild(toast);
    if (level !== "danger" && level !== "warning") {
      setTimeout(function () { toast.remove(); }, 5000);
    }
  }

  function autoHideFlashes(root) {
    (root || document).querySelectorAll('#toasts .toast[data-autohide="true"]').forEach(function (toast) {
      setTimeout(function () { toast.remove(); }, 5000);
    });
    (root || document).querySelectorAll("#toasts .toast [data-bs-dismiss=toast]").forEach(function (button) {
      button.addEventListener("click", function () { button.closest(".toast").remove(); });
    });
  }

  document.addEventListener("DOMContentLoaded", function () { autoHideFlashes(document); });
  document.addEventListener("htmx:afterSettle", function () { autoHideFlashes(document); });

  document.addEventListener("toast", function (event) {
    showToast(event.detail.message, event.detail.level);
  });

  document.addEventListener("htmx:responseError", function (event) {
    var xhr = event.detail.xhr;
    if (xhr.getResponseHeader("HX-Trigger")) return; // the server already sent a toast
    var messages = {
      403: "Bạn không có quyền thực hiện thao tác này.",
      404: "Không tìm thấy nội dung yêu cầu.",
      429: "Bạn thao tác quá nhanh. Vui lòng đợi một chút rồi thử lại.",
    };
    showToast(messages[xhr.status] || "Đã có lỗi xảy ra. Dữ liệu bạn đang nhập vẫn còn trên trang; vui lòng thử lại.", "danger");
  });

  document.addEventListener("htmx:sendError", function () {
    showToast("Không kết nối được máy chủ. Dữ liệu bạn đang nhập vẫn còn trên trang.", "danger");
  });

  // A form with data-confirm asks before it is sent (no inline onclick handlers).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.dataset && form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);
})();
