/**
 * The console's one script: it follows the decision log (Server-Sent Events from the console's own
 * /_fedsim/console/decisions, the admin route's handler behind the console's guard) and puts each new
 * record on top of the table the server rendered, built with textContent only (a record's every field is
 * whatever a client sent). Rows already shown are skipped by id, so a reconnect repeats nothing.
 */
export const LIVE_LOG_SCRIPT = `(()=>{
const t=document.getElementById("decision-log");if(!t)return;
const body=t.tBodies[0],st=document.getElementById("live-status"),say=document.getElementById("live-announce");
const MAX=500,seen=new Set();for(const r of body.rows)if(r.dataset.id)seen.add(r.dataset.id);
const labels={"allow":"Allowed","explicit-deny":"Denied (explicit Deny)","implicit-deny":"Denied (no Allow)","refused":"Refused"};
const heads=Array.from(t.tHead.rows[0].cells,c=>c.textContent);
const el=(tag,text,cls)=>{const n=document.createElement(tag);if(text!==undefined)n.textContent=text;if(cls)n.className=cls;return n};
const cell=(tr,i,...nodes)=>{const td=el("td");td.dataset.label=heads[i];td.append(...nodes);tr.append(td);return td};
const statement=r=>{const s=r.statements[0];if(s)return s.effect+" by "+s.policy+" "+(s.sid!==undefined?s.sid:"#"+s.index);
return r.decision==="implicit-deny"?"No statement allows it":r.decision==="refused"?"Refused before any policy was read":"(no statement recorded)"};
const add=r=>{if(seen.has(r.id))return;seen.add(r.id);
const tr=el("tr",undefined,"new");tr.dataset.id=r.id;
const tm=el("time",r.time.slice(11,19));tm.dateTime=r.time;cell(tr,0,tm);
cell(tr,1,el("span",labels[r.decision]||r.decision,"badge "+(r.decision==="allow"?"allow":"deny")));
cell(tr,2,el("code",r.principal));
cell(tr,3,el("code",r.action),el("small",r.door));
cell(tr,4,el("code",r.resource));
const why=cell(tr,5,el("span",statement(r)));if(r.decision!=="allow"||!r.statements.length)why.append(el("small",r.reason));
const a=el("a","Explain");a.href="/_fedsim/console/explain/"+encodeURIComponent(r.requestId);a.append(el("span"," request "+r.requestId,"visually-hidden"));cell(tr,6,a);
const ph=body.querySelector("tr.placeholder");if(ph)ph.remove();
body.prepend(tr);while(body.rows.length>MAX)body.deleteRow(-1);
say.textContent=(labels[r.decision]||r.decision)+": "+r.action+" by "+r.principal+(r.decision==="allow"?"":". "+r.reason)};
const es=new EventSource(t.dataset.stream);
es.onopen=()=>{st.dataset.state="live";st.textContent="Live: new decisions appear at the top as fedsim makes them."};
es.onerror=()=>{st.dataset.state="down";st.textContent="Reconnecting to the decision log…"};
es.addEventListener("decision",m=>{try{add(JSON.parse(m.data))}catch(err){console.error(err)}});
})()`;
