import { generatePr } from "./fixtures/generate-pr.js";
import { buildWindowPlan, initSyntax } from "../src/context/index.js";
await initSyntax();
const pr = generatePr(100000);
const { Session } = await import("node:inspector/promises");
const session = new Session(); session.connect();
await session.post("Profiler.enable"); await session.post("Profiler.start");
const t0 = performance.now();
buildWindowPlan(pr.changeSet, { title: "t", description: "d", guidelines: "g" }, { windowTokens: 24000, outputTokens: 8000, contextTokens: 272000 });
console.log("ms", performance.now() - t0);
const { profile } = await session.post("Profiler.stop");
const self = new Map<string, number>();
const byId = new Map(profile.nodes.map((n: any) => [n.id, n]));
const dt = profile.timeDeltas; const samples = profile.samples;
for (let i = 0; i < samples.length; i++) { const n: any = byId.get(samples[i]); const k = `${n.callFrame.functionName || "(anon)"} ${n.callFrame.url.split("/").slice(-2).join("/")}:${n.callFrame.lineNumber}`; self.set(k, (self.get(k) ?? 0) + dt[i] / 1000); }
console.log([...self].sort((a, b) => b[1] - a[1]).slice(0, 30).map(([k, v]) => `${v.toFixed(0).padStart(6)} ${k}`).join("\n"));
