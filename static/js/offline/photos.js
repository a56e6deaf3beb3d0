/* Photos taken with the phone's camera are made smaller on the phone before they are uploaded:
   a file input marked data-shrink-photos redraws each large JPEG or PNG on a canvas, the long
   side at most 1600 px, and keeps it as a JPEG of quality 0.8. A 4 MB camera photo becomes a
   few hundred kB, so it gets through weak Wi-Fi. While the photos are being redrawn the form
   cannot be sent. Other files (PDF, Word, video) are left as they are. No inline script: the
   listeners sit on the document. */
(function () {
  "use strict";
  const LONG_SIDE = 1600;
  const QUALITY = 0.8;
  const SHRINKABLE = ["image/jpeg", "image/png"];

  async function bitmapOf(file) {
    if (window.createImageBitmap) {
      try { return await createImageBitmap(file, { imageOrientation: "from-image" }); } catch (e) { /* below */ }
    }
    const url = URL.createObjectURL(file);
    try {
      const img = new Image();
      img.src = url;
      await img.decode();
      return img;
    } finally {
      URL.revokeObjectURL(url);
    }
  }

  async function shrink(file) {
    if (!SHRINKABLE.includes(file.type)) return null;
    const picture = await bitmapOf(file);
    const width = picture.width, height = picture.height;
    const scale = Math.min(1, LONG_SIDE / Math.max(width, height));
    if (scale === 1 && file.type === "image/jpeg" && file.size < 600 * 1024) return null;
    if (scale === 1 && file.type === "image/png") return null; // a small screenshot stays sharp
    const canvas = document.createElement("canvas");
    canvas.width = Math.round(width * scale);
    canvas.height = Math.round(height * scale);
    const ctx = canvas.getContext("2d");
    ctx.fillStyle = "#ffffff"; // a transparent PNG gets a white ground in the JPEG
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.drawImage(picture, 0, 0, canvas.width, canvas.height);
    if (picture.close) picture.close();
    const blob = await new Promise((resolve) => canvas.toBlob(resolve, "image/jpeg", QUALITY));
    if (!blob || blob.size >= file.size) return null;
    const name = file.name.replace(/\.(jpe?g|png)$/i, "") + ".jpg";
    return {
      file: new File([blob], name, { type: "image/jpeg", lastModified: file.lastModified }),
      before: `${width}×${height}`,
      after: `${canvas.width}×${canvas.height}`,
    };
  }

  function note(input, text) {
    let el = input.parentElement.querySelector(".photo-shrunk");
    if (!el) {
      el = document.createElement("div");
      el.className = "form-text photo-shrunk";
      el.setAttribute("role", "status");
      input.after(el);
    }
    el.textContent = text;
    el.hidden = !text;
  }

  function busy(form, on) {
    if (!form) return;
    if (on) form.dataset.shrinking = "1";
    else delete form.dataset.shrinking;
    form.querySelectorAll("button[type=submit], button:not([type])").forEach((b) => { b.disabled = on; });
  }

  document.addEventListener("change", async (event) => {
    const input = event.target;
    if (!(input instanceof HTMLInputElement) || input.type !== "file" || !input.hasAttribute("data-shrink-photos")) return;
    const files = Array.from(input.files || []);
    if (!files.length || !window.DataTransfer) return;
    busy(input.form, true);
    note(input, "");
    try {
      const out = new DataTransfer();
      const changed = [];
      for (const file of files) {
        let result = null;
        try { result = await shrink(file); } catch (e) { result = null; } // kept as it was
        out.items.add(result ? result.file : file);
        if (result) changed.push(result);
      }
      if (changed.length) {
        input.files = out.files;
        const template = input.dataset.shrinkNote || "";
        note(input, changed.map((c) => template.replace("%(before)s", c.before).replace("%(after)s", c.after)).join(" "));
      }
      input.dataset.shrunk = String(changed.length);
    } finally {
      busy(input.form, false);
    }
  }, true);

  // A form whose photos are still being redrawn is not sent (Enter in a field, say).
  document.addEventListener("submit", (event) => {
    if (event.target.dataset && event.target.dataset.shrinking) event.preventDefault();
  }, true);
})();
