"""
A corpus of hostile inputs (OWASP filter-evasion cheat sheet style): script tags,
event handlers, javascript:/data: URLs, SVG, encoded and mixed-case variants and
broken markup. Tests send each one through every field a stranger or an author
controls and check that none survives as markup anywhere it is shown.
"""

from html.parser import HTMLParser

PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT>alert(1)</SCRIPT>",
    "<ScRiPt>alert(1)</sCrIpT>",
    "<script src=//evil.example/x.js></script>",
    "<script>/*</script><script>alert(1)//*/</script>",
    "<<script>alert(1)//<</script>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    '"><script>alert(1)</script>',
    "'><script>alert(1)</script>",
    "</textarea><script>alert(1)</script>",
    "</title><script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '<img src="x" onerror="alert(1)">',
    "<IMG SRC=x OnErRoR=alert(1)>",
    "<img src=x onerror=&#97;&#108;&#101;&#114;&#116;(1)>",
    "<img/src/onerror=alert(1)>",
    '<img src="javascript:alert(1)">',
    "<img src=`javascript:alert(1)`>",
    '<img """><script>alert(1)</script>">',
    "<svg onload=alert(1)>",
    "<svg/onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    '<svg><a xlink:href="javascript:alert(1)"><text x="20" y="20">x</text></a></svg>',
    "<svg><animate onbegin=alert(1) attributeName=x dur=1s>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<body onload=alert(1)>",
    "<iframe src=javascript:alert(1)></iframe>",
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    '<object data="javascript:alert(1)"></object>',
    '<embed src="javascript:alert(1)">',
    '<a href="javascript:alert(1)">clic</a>',
    '<a href="JaVaScRiPt:alert(1)">clic</a>',
    '<a href="  javascript:alert(1)">clic</a>',
    '<a href="java&#x09;script:alert(1)">clic</a>',
    '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">clic</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">clic</a>',
    '<a href="vbscript:msgbox(1)">clic</a>',
    "[clic](javascript:alert(1))",
    "[clic](JAVASCRIPT:alert(1))",
    "[clic](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![x](javascript:alert(1))",
    '![x](x" onerror="alert(1))',
    '[a](https://ok.example "title" onmouseover=alert(1))',
    "<a href=https://ok.example onmouseover=alert(1)>survol</a>",
    '<div style="background:url(javascript:alert(1))">x</div>',
    '<div style="width: expression(alert(1))">x</div>',
    "<style>@import 'javascript:alert(1)';</style>",
    '<link rel=stylesheet href="javascript:alert(1)">',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    "<form action=javascript:alert(1)><button>go</button></form>",
    "<input onfocus=alert(1) autofocus>",
    "<details open ontoggle=alert(1)>",
    "<video><source onerror=alert(1)></video>",
    "<audio src=x onerror=alert(1)>",
    "<marquee onstart=alert(1)>x</marquee>",
    "<base href=javascript:alert(1)//>",
    "<p onmouseover='alert(1)'>texte</p>",
    "<b onclick=alert(1)>gras</b>",
    "<table background=javascript:alert(1)><tr><td>x</td></tr></table>",
    "<x onclick=alert(1)>x</x>",
    "%3Cscript%3Ealert(1)%3C/script%3E",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "<scrİpt>alert(1)</scrİpt>",
    "<img src=x:alert(alt) onerror=eval(src) alt=0>",
    "<!--<img src=x onerror=alert(1)>-->",
    "<![CDATA[<script>alert(1)</script>]]>",
    "javascript:alert(1)",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
]

DANGEROUS_TAGS = {
    "script", "svg", "math", "iframe", "frame", "object", "embed", "style", "link", "meta",
    "base", "form", "input", "button", "textarea", "select", "video", "audio", "source",
    "marquee", "body", "html", "noscript", "template",
}  # fmt: skip
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "background", "data", "poster"}
DANGEROUS_SCHEMES = ("javascript:", "vbscript:", "data:")


class _MarkupAuditor(HTMLParser):
    """Collects live markup that could run script, as a browser would parse it."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.findings = []

    def handle_starttag(self, tag, attrs):
        if tag in DANGEROUS_TAGS:
            self.findings.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.findings.append(f"<{tag} {name}=…>")
            compact = "".join((value or "").split()).lower()
            if name in URL_ATTRIBUTES and compact.startswith(DANGEROUS_SCHEMES):
                self.findings.append(f"<{tag} {name}={compact[:20]}…>")
            if name == "style" and ("expression(" in compact or "url(" in compact):
                self.findings.append(f"<{tag} style=…>")

    handle_startendtag = handle_starttag


def live_markup_in(html):
    """What in `html` a browser would treat as script or a script-capable element (empty: safe)."""
    auditor = _MarkupAuditor()
    auditor.feed(html)
    auditor.close()
    return auditor.findings
