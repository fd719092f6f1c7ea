/**
 * Print one element (a report) without the rest of the screen: its HTML goes into a hidden frame
 * with the page's styles, which prints and goes away.
 */
export function printElement(element: HTMLElement): void {
  const styles = [...document.querySelectorAll('style, link[rel="stylesheet"]')]
    .map((node) => node.outerHTML)
    .join('\n');
  const frame = document.createElement('iframe');
  frame.setAttribute('aria-hidden', 'true');
  frame.style.cssText = 'position:fixed;width:0;height:0;border:0;right:0;bottom:0';
  frame.srcdoc =
    `<!doctype html><html lang="${document.documentElement.lang}"><head><meta charset="utf-8">` +
    `<base href="${document.baseURI}">${styles}</head><body class="print-body">${element.outerHTML}</body></html>`;
  frame.addEventListener('load', () => {
    const win = frame.contentWindow;
    if (!win) return;
    win.addEventListener('afterprint', () => {
      frame.remove();
    });
    win.focus();
    win.print();
  });
  document.body.appendChild(frame);
}
