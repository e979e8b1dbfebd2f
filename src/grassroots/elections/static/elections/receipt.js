/* Receipt page: "Copy the code" and "Print this receipt" buttons. Without JavaScript they stay
 * hidden and the code can be selected and the page printed from the browser as usual. */
(function () {
  "use strict";

  const actions = document.querySelector("[data-receipt-actions]");
  const code = document.getElementById("receipt-code");
  if (!actions || !code) return;
  const status = document.getElementById("receipt-status");

  function selectCode() {
    const range = document.createRange();
    range.selectNodeContents(code);
    const selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }

  /* Where the clipboard API is unavailable (a page not served over HTTPS) the code is selected
   * and copied the old way; if that fails too it stays selected for the member to copy. */
  function copyTheOldWay() {
    selectCode();
    let copied = false;
    try {
      copied = document.execCommand("copy");
    } catch (e) {
      copied = false;
    }
    status.textContent = copied
      ? "Receipt code copied."
      : "The code is selected: copy it with your device's copy command.";
  }

  actions.querySelector("[data-copy]").addEventListener("click", () => {
    const text = code.textContent.trim();
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(
        () => {
          status.textContent = "Receipt code copied.";
        },
        copyTheOldWay,
      );
    } else {
      copyTheOldWay();
    }
  });
  actions.querySelector("[data-print]").addEventListener("click", () => window.print());
  actions.hidden = false;
})();
