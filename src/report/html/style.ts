// The report's stylesheet (inline: the page loads nothing). Light and dark follow the system setting.

export const STYLE = `
:root{--fg:#1d2330;--muted:#667085;--bg:#fff;--panel:#f5f7fa;--line:#d0d5dd;--accent:#2563eb;--rst:#d92d20;--fold:#98a2b3;
--endpoint:#2563eb;--middlebox:#d92d20;--unknown:#98a2b3;font:14px/1.4 system-ui,-apple-system,"Segoe UI",sans-serif;color:var(--fg);background:var(--bg)}
@media (prefers-color-scheme:dark){:root{--fg:#e4e7ec;--muted:#98a2b3;--bg:#0f1115;--panel:#1a1d24;--line:#344054;--accent:#60a5fa;--rst:#f97066}}
body{margin:0}
header{padding:12px 24px;border-bottom:1px solid var(--line);background:var(--panel)}
header h1{margin:0;font-size:20px}header p{margin:4px 0 0;color:var(--muted);word-break:break-all}
main{padding:0 24px 24px}
h2{font-size:17px;margin:20px 0 8px}h3{font-size:14px;margin:0 0 6px}
.cards{display:flex;gap:12px;margin-top:16px;flex-wrap:wrap}
.card{background:var(--panel);border:1px solid var(--line);border-radius:6px;padding:8px 16px;min-width:110px}
.card b{display:block;font-size:22px}.card span{color:var(--muted)}
.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(260px,1fr));gap:12px;margin-top:12px}
.box{background:var(--panel);border:1px solid var(--line);border-radius:6px;padding:10px 12px;overflow:hidden}
.mini{border-collapse:collapse;width:100%}.mini td{padding:1px 4px;white-space:nowrap}.mini td:first-child{max-width:200px;overflow:hidden;text-overflow:ellipsis}
.num{text-align:right;font-variant-numeric:tabular-nums}
.bar rect{fill:var(--accent)}
.pick{all:unset;cursor:pointer;color:var(--accent)}.pick:hover,.pick:focus{text-decoration:underline}
.none{color:var(--muted)}
.timeline{margin:0;background:var(--panel);border:1px solid var(--line);border-radius:6px;padding:8px}
.timeline figcaption{display:flex;justify-content:space-between;color:var(--muted);font-size:12px}
.o-endpoint{fill:var(--endpoint);background:var(--endpoint)}.o-middlebox{fill:var(--middlebox);background:var(--middlebox)}.o-unknown{fill:var(--unknown);background:var(--unknown)}
.legend i{display:inline-block;width:10px;height:10px;margin:0 3px 0 8px}
.scroll{overflow:auto;max-height:320px}
.data{border-collapse:collapse;font-size:13px}.data th,.data td{border-bottom:1px solid var(--line);padding:2px 8px;text-align:left;white-space:nowrap}
.controls{display:flex;gap:8px;flex-wrap:wrap;align-items:center;margin-bottom:8px}
.controls input{flex:1 1 260px;padding:5px 8px}.controls select,.controls input{font:inherit;background:var(--bg);color:var(--fg);border:1px solid var(--line);border-radius:4px}
#shown{color:var(--muted)}
.split{display:flex;gap:16px;align-items:flex-start}
.tablebox{flex:3 1 0;min-width:0;max-height:75vh;overflow:auto;contain:layout paint;border:1px solid var(--line);border-radius:6px}
/* The RST table: fixed-height grid rows (the script draws a window of rows and pads the rest by row height). */
#rst-table{display:block;min-width:1080px;font-size:12.5px;--cols:minmax(56px,5fr) minmax(126px,9fr) minmax(64px,5fr) minmax(88px,6fr) minmax(120px,12fr) minmax(92px,7fr) minmax(50px,4fr) minmax(48px,4fr) minmax(40px,3fr) minmax(124px,12fr) minmax(124px,12fr) minmax(48px,4fr) minmax(58px,5fr)}
#rst-table.multi{min-width:1200px;--cols:minmax(56px,5fr) minmax(126px,9fr) minmax(64px,5fr) minmax(88px,6fr) minmax(120px,12fr) minmax(92px,7fr) minmax(50px,4fr) minmax(48px,4fr) minmax(40px,3fr) minmax(124px,12fr) minmax(124px,12fr) minmax(48px,4fr) minmax(58px,5fr) minmax(120px,11fr)}
#rst-table thead{display:block;position:sticky;top:0;z-index:1;background:var(--panel)}
#rst-table tbody{display:block}
#rst-table tr{display:grid;grid-template-columns:var(--cols);border-bottom:1px solid var(--line)}
#rst-table tbody tr{height:22px;box-sizing:border-box;cursor:pointer}
#rst-table tr[hidden]{display:none}
#rst-table th,#rst-table td{display:block;overflow:hidden;text-overflow:ellipsis;white-space:nowrap;padding:2px 6px;min-width:0;line-height:17px}
#rst-table th{cursor:pointer;user-select:none;text-align:left;padding:4px 6px}
#rst-table th[aria-sort=ascending]::after{content:" \\25B2"}#rst-table th[aria-sort=descending]::after{content:" \\25BC"}
#rst-table tbody tr:hover{background:var(--panel)}
#rst-table tr.sel{background:var(--panel);outline:2px solid var(--accent);outline-offset:-2px}
td.o-middlebox,td.o-endpoint,td.o-unknown{background:none}td.o-middlebox{color:var(--rst);font-weight:600}
#detail{flex:2 1 0;min-width:0;max-height:75vh;overflow:auto;border:1px solid var(--line);border-radius:6px;padding:10px 12px}
#detail dl{display:grid;grid-template-columns:max-content 1fr;gap:2px 12px;margin:0 0 8px}#detail dt{color:var(--muted)}#detail dd{margin:0;word-break:break-all}
#detail ul{margin:4px 0 8px;padding-left:18px}#detail li{word-break:break-word}
.filter{display:flex;gap:8px;align-items:center;margin:6px 0 10px}.filter code{background:var(--panel);padding:2px 6px;border-radius:4px;word-break:break-all}
.filter button{font:inherit;padding:2px 10px;cursor:pointer}
.ladderbox{max-height:460px;overflow:auto;border:1px solid var(--line);border-radius:6px;background:var(--bg)}
svg.ladder{display:block;max-width:760px}svg.ladder .lanehead{font-weight:700}svg.ladder text{font:11px ui-monospace,SFMono-Regular,Menlo,monospace;fill:var(--fg)}
svg.ladder .lane{stroke:var(--muted);stroke-width:1.5}
svg.ladder .pkt line{stroke:var(--accent);stroke-width:1.2}svg.ladder .pkt polygon{fill:var(--accent)}
svg.ladder .rst line{stroke:var(--rst);stroke-width:2.4}svg.ladder .rst polygon{fill:var(--rst)}svg.ladder .rst text{fill:var(--rst);font-weight:700}
svg.ladder .fold rect{fill:var(--panel);stroke:var(--fold);stroke-dasharray:4 3}svg.ladder .fold text{fill:var(--muted)}
svg.ladder .focus{fill:var(--rst);opacity:.12}
svg.ladder .meta{fill:var(--muted)}
`;
