/**
 * The one look of fedsim's pages (the built-in IdP's, the /saml sign-in, the OpenID sign-in and the console):
 * system fonts, no web fonts or images to fetch (everything works offline and under `default-src 'none'`),
 * colours with at least 4.5:1 contrast in both schemes, and a visible focus ring on everything a keyboard
 * reaches. Each page inlines it in its one <style>, allowed by hash.
 */
export const THEME_CSS = `
:root{--bg:#f6f7f9;--panel:#fff;--text:#1b1f27;--muted:#4f5665;--line:#d5d9e0;--accent:#0b57d0;--accent-text:#fff;
--allow:#0a6b34;--allow-bg:#e3f4e9;--deny:#a3121f;--deny-bg:#fde7e9;--code-bg:#eef0f4;--focus:#b34700;color-scheme:light dark}
@media (prefers-color-scheme:dark){:root{--bg:#14171c;--panel:#1c2027;--text:#e8eaee;--muted:#aab1bd;--line:#363c47;
--accent:#8ab4f8;--accent-text:#10131a;--allow:#7fd6a0;--allow-bg:#173524;--deny:#ff9ba3;--deny-bg:#3d1a1f;--code-bg:#262b34;--focus:#ffb74d}}
*,*::before,*::after{box-sizing:border-box}[hidden]{display:none!important}
html{-webkit-text-size-adjust:100%}
body{margin:0;font:1rem/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--text);background:var(--bg)}
a{color:var(--accent)}a:hover{text-decoration-thickness:2px}
:focus-visible{outline:3px solid var(--focus);outline-offset:2px}
.skip{position:absolute;left:.5rem;top:-3rem;padding:.5rem 1rem;background:var(--panel);color:var(--text);border:2px solid var(--focus);z-index:10}
.skip:focus{top:.5rem}
.wrap{max-width:44rem;margin:0 auto;padding:1.5rem 1rem 3rem}
.card{background:var(--panel);border:1px solid var(--line);border-radius:.5rem;padding:1.25rem;margin:1rem 0}.card>:first-child{margin-top:0}
h1{font-size:1.45rem;line-height:1.25;margin:.2rem 0 1rem}h2{font-size:1.15rem;margin:1.6rem 0 .6rem}h3{font-size:1rem;margin:1rem 0 .4rem}
label{display:block;margin:.8rem 0 .25rem;font-weight:600}
input[type=text],input[type=password]{width:100%;max-width:22rem;padding:.5rem .6rem;font:inherit;color:inherit;background:var(--panel);border:1px solid var(--muted);border-radius:.3rem}
button,.button{display:inline-block;margin-top:1rem;padding:.5rem 1.2rem;font:inherit;font-weight:600;color:var(--accent-text);background:var(--accent);border:1px solid var(--accent);border-radius:.3rem;cursor:pointer;text-decoration:none}
button.secondary{color:var(--accent);background:transparent}
pre,code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.88rem}
pre{background:var(--code-bg);padding:.8rem 1rem;border-radius:.3rem;overflow-x:auto;white-space:pre-wrap;overflow-wrap:anywhere;margin:.5rem 0}
code{background:var(--code-bg);padding:.05rem .3rem;border-radius:.2rem;overflow-wrap:anywhere}
.error{color:var(--deny);font-weight:600}.note,.muted{color:var(--muted)}.note{font-size:.9rem}
.choice{display:flex;gap:.6rem;align-items:flex-start;font-weight:400;padding:.6rem .8rem;border:1px solid var(--line);border-radius:.4rem;margin:.5rem 0;cursor:pointer}
.choice input{margin-top:.35rem}.choice strong{display:block;overflow-wrap:anywhere}
.badge{display:inline-block;padding:.05rem .5rem;border-radius:1rem;font-size:.82rem;font-weight:700;white-space:nowrap}
.allow{color:var(--allow);background:var(--allow-bg)}.deny{color:var(--deny);background:var(--deny-bg)}
.visually-hidden{position:absolute;width:1px;height:1px;margin:-1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap;border:0}
`;
