// Document verification: hash the chosen file in the browser (WebCrypto SHA-256), ask the index for that hash.
"use strict";
const hex = (buf) => Array.from(new Uint8Array(buf), (b) => b.toString(16).padStart(2, "0")).join("");
const text = (tag, value, cls) => { const el = document.createElement(tag); el.textContent = value; if (cls) el.className = cls; return el; };

document.getElementById("file").addEventListener("change", async (event) => {
  const file = event.target.files[0];
  const result = document.getElementById("result");
  result.replaceChildren();
  if (!file) return;
  const digest = "0x" + hex(await crypto.subtle.digest("SHA-256", await file.arrayBuffer()));
  document.getElementById("digest").textContent = digest;
  const answer = await (await fetch("/api/hashes/" + digest)).json();
  if (answer.error) { result.append(text("p", answer.error, "error")); return; }
  if (!answer.found.length) { result.append(text("p", "No filing or anchored document has this hash.", "none")); return; }
  const list = document.createElement("ul");
  list.id = "found";
  for (const f of answer.found) {
    const when = f.timestamp ? new Date(f.timestamp * 1000).toISOString().replace(".000Z", " UTC").replace("T", " ") : "";
    const li = text("li", `${f.name} (${f.field}) in block ${f.block}, ${when} `, "hit");
    if (f.right_id) { const a = text("a", "open the right"); a.href = "/right/" + f.right_id; li.append(a); }
    list.append(li);
  }
  result.append(text("p", `Found ${answer.found.length} record(s) with this hash:`), list);
});
