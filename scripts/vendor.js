// Copy the pinned front-end libraries from node_modules into static/vendor/ (never a CDN).
const fs = require("fs");
const path = require("path");

const root = path.resolve(__dirname, "..");
const target = path.join(root, "static", "vendor");
const files = {
  "htmx.org/dist/htmx.min.js": "htmx.min.js",
  "bootstrap/dist/css/bootstrap.min.css": "bootstrap.min.css",
  "bootstrap/dist/js/bootstrap.bundle.min.js": "bootstrap.bundle.min.js",
  "bootstrap-icons/font/bootstrap-icons.min.css": "bootstrap-icons.min.css",
  "bootstrap-icons/font/fonts/bootstrap-icons.woff2": "fonts/bootstrap-icons.woff2",
  "bootstrap-icons/font/fonts/bootstrap-icons.woff": "fonts/bootstrap-icons.woff",
  "chart.js/dist/chart.umd.min.js": "chart.umd.min.js",
};

for (const [from, to] of Object.entries(files)) {
  const destination = path.join(target, to);
  fs.mkdirSync(path.dirname(destination), { recursive: true });
  fs.copyFileSync(path.join(root, "node_modules", from), destination);
}
console.log(`static/vendor: ${Object.keys(files).length} files`);
